// Builds the frozen Config from a file named by KEYBRIDGE_CONFIG (YAML or JSON) and the environment.
// The only module that reads process.env (ARCHITECTURE §1).
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { ConfigError } from "./config-error";
import { type Config, configSchema } from "./config-schema";

type Env = Record<string, string | undefined>;

const SECRET_PREFIX = "KEYBRIDGE_SECRET_";

/** Secrets come only from KEYBRIDGE_SECRET_<NAME> or KEYBRIDGE_SECRET_<NAME>_FILE. */
export function readSecrets(env: Env): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(SECRET_PREFIX) || value === undefined) continue;
    const name = key.slice(SECRET_PREFIX.length);
    if (name.endsWith("_FILE")) secrets[name.slice(0, -5)] = readFileSync(value, "utf8").trim();
    else secrets[name] = value;
  }
  return secrets;
}

function fromEnv(env: Env): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (env.PORT) out.port = Number(env.PORT);
  if (env.HOST) out.host = env.HOST;
  if (env.KEYBRIDGE_API_PROCESSES) out.apiProcesses = Number(env.KEYBRIDGE_API_PROCESSES);
  if (env.REDIS_URL) out.redisUrl = env.REDIS_URL;
  if (env.KEYBRIDGE_PUBLIC_URL) out.publicBaseUrl = env.KEYBRIDGE_PUBLIC_URL;
  if (env.KEYBRIDGE_DATA_DIR) out.dataDir = env.KEYBRIDGE_DATA_DIR;
  if (env.KEYBRIDGE_MAPPINGS) out.mappingsDir = env.KEYBRIDGE_MAPPINGS;
  if (env.LOG_LEVEL) out.logLevel = env.LOG_LEVEL;
  return out;
}

/** The `redis` keys set by the environment; merged into the file's `redis` object, not replacing it. */
function redisFromEnv(env: Env): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (env.KEYBRIDGE_REDIS_SENTINELS)
    out.sentinels = env.KEYBRIDGE_REDIS_SENTINELS.split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
  if (env.KEYBRIDGE_REDIS_SENTINEL_NAME) out.sentinelName = env.KEYBRIDGE_REDIS_SENTINEL_NAME;
  if (env.KEYBRIDGE_REDIS_CLUSTER_NODES)
    out.clusterNodes = env.KEYBRIDGE_REDIS_CLUSTER_NODES.split(",")
      .map((n) => n.trim())
      .filter((n) => n !== "");
  return out;
}

function withRedisEnv(file: Record<string, unknown>, env: Env): Record<string, unknown> {
  const fromEnvironment = redisFromEnv(env);
  if (Object.keys(fromEnvironment).length === 0) return {};
  const fromFile = file.redis !== null && typeof file.redis === "object" ? file.redis : {};
  return { redis: { ...fromFile, ...fromEnvironment } };
}

function readFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    // The yaml package reports where (linePos); name file and line so the fix is one look away.
    const line = (err as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
    const where = line === undefined ? path : `${path}:${line}`;
    throw new ConfigError(`config file ${where}: ${(err as Error).message.split("\n")[0]}`);
  }
  if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed))
    return parsed as Record<string, unknown>;
  throw new ConfigError(`config file ${path} must hold a mapping at the top level`);
}

/** Validates raw input against the schema; every violation is reported with its path. */
export function parseConfig(raw: unknown): Config {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const violations = result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new ConfigError("invalid configuration", violations);
  }
  return Object.freeze(result.data);
}

export function loadConfig(env: Env = process.env): Config {
  const file = env.KEYBRIDGE_CONFIG ? readFile(env.KEYBRIDGE_CONFIG) : {};
  if ("secrets" in file)
    throw new ConfigError("secrets may not be set in the config file; use KEYBRIDGE_SECRET_*");
  return parseConfig({ ...file, ...fromEnv(env), ...withRedisEnv(file, env), secrets: readSecrets(env) });
}
