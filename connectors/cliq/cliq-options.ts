// The CLIQ driver's options (zod-validated by the factory; a wrong option is a ConfigError at start-up).
import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError } from "../../src/config/config-error";

/** A PEM given either as the NAME of a secret (KEYBRIDGE_SECRET_<NAME>) or as a file path. */
const pemSource = z
  .object({
    secret: z.string().min(1).optional().describe("name of the secret holding the PEM"),
    file: z.string().min(1).optional().describe("path of a PEM file"),
  })
  .strict()
  .refine((s) => (s.secret === undefined) !== (s.file === undefined), "give exactly one of secret or file");

/**
 * Which physical keys the bridge may hand out (CWM hand-out needs a key the customer holds, §1.3):
 * "manual" (every hand-out is an operator task), listed serials, or any key in stock in the domain.
 */
const keyPool = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("manual") }).strict(),
  z.object({ mode: z.literal("serials"), serials: z.array(z.string().regex(/^\d{9}$/)).min(1) }).strict(),
  z.object({ mode: z.literal("any_in_stock") }).strict(),
]);

export const cliqOptionsSchema = z
  .object({
    baseUrl: z
      .string()
      .url()
      .describe("base URL of the CWM integration API, e.g. https://cwm.example/cwm/api/v0"),
    domainId: z
      .string()
      .min(1)
      .optional()
      .describe("the CWM domain the API certificate administers, when the mapping scope gives no domain"),
    clientCert: pemSource.describe("the API certificate (PEM)"),
    clientKey: pemSource.describe("its private key (PEM)"),
    ca: pemSource
      .optional()
      .describe("CA bundle that signs the CWM server certificate; system CAs if omitted"),
    keyPool: keyPool.default({ mode: "manual" }),
    externalLinkSystem: z
      .string()
      .min(1)
      .default("keybridge")
      .describe("external-link system name for our ids"),
    managedAccessProfileIds: z
      .array(z.string().min(1))
      .optional()
      .describe("profiles the bridge manages; if omitted every profile of the domain is bridge-managed"),
    revalidationDays: z
      .number()
      .int()
      .positive()
      .optional()
      .describe("revalidation interval set at hand-out; bounds the exposure of a lost key"),
    requestTimeoutMs: z.number().int().positive().default(10_000),
    eventPageSize: z.number().int().min(1).max(500).default(200),
    maxGrantsPerCredential: z.number().int().positive().nullable().default(null),
  })
  .strict();

export type CliqOptions = z.infer<typeof cliqOptionsSchema>;
type PemSource = z.infer<typeof pemSource>;

export interface CliqTlsMaterial {
  cert: string;
  key: string;
  ca?: string;
}

export function parseCliqOptions(systemId: string, options: unknown): CliqOptions {
  const parsed = cliqOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ConfigError(
      `key system ${systemId}: invalid cliq options`,
      parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`),
    );
  }
  return parsed.data;
}

function resolvePem(
  systemId: string,
  field: string,
  source: PemSource,
  secrets: Readonly<Record<string, string>>,
) {
  if (source.secret !== undefined) {
    const value = secrets[source.secret];
    if (value === undefined) {
      throw new ConfigError(`key system ${systemId}: ${field}: secret ${source.secret} is not set`);
    }
    return value;
  }
  try {
    return readFileSync(source.file as string, "utf8");
  } catch {
    throw new ConfigError(`key system ${systemId}: ${field}: cannot read file ${source.file}`);
  }
}

/** Reads the certificate material once at start-up, so a missing secret stops the process early. */
export function resolveTlsMaterial(
  systemId: string,
  options: CliqOptions,
  secrets: Readonly<Record<string, string>>,
): CliqTlsMaterial {
  return {
    cert: resolvePem(systemId, "clientCert", options.clientCert, secrets),
    key: resolvePem(systemId, "clientKey", options.clientKey, secrets),
    ca: options.ca ? resolvePem(systemId, "ca", options.ca, secrets) : undefined,
  };
}
