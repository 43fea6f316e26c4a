// The memory driver's options (zod-validated by the factory; a bad option is a ConfigError at start-up).
import { z } from "zod";
import { ConfigError } from "../../src/config/config-error";

const operationNames = [
  "healthCheck",
  "listGrantCatalog",
  "observe",
  "upsertHolder",
  "deactivateHolder",
  "issueCredential",
  "setGrants",
  "revokeCredential",
  "removeHolder",
  "getCredentialState",
  "pullEvents",
] as const;

export type MemoryOperation = (typeof operationNames)[number];

const faultStep = z.object({
  operation: z.enum(operationNames),
  kind: z.enum(["retryable", "rate_limited", "permanent", "manual_action", "systemic"]),
  /** How many calls of that operation fail before it works again. */
  count: z.number().int().positive(),
  retryAfterMs: z.number().int().nonnegative().optional(),
});

export type MemoryFaultStep = z.infer<typeof faultStep>;

const catalogEntry = z.object({
  vendorRef: z.string().min(1),
  name: z.string().min(1),
  /** false: the simulated vendor refuses remote assignment (manual_action), like iLOQ non-API rights. */
  changeable: z.boolean().default(true),
});

export const DEFAULT_MEMORY_CATALOG = [
  { vendorRef: "profile-1", name: "Profile 1", changeable: true },
  { vendorRef: "profile-2", name: "Profile 2", changeable: true },
  { vendorRef: "profile-3", name: "Profile 3", changeable: true },
  { vendorRef: "profile-4", name: "Profile 4", changeable: true },
  { vendorRef: "manager-only", name: "Manager-only profile", changeable: false },
];

export const memoryOptionsSchema = z
  .object({
    /** 0: grants are effective at once; >0: pending_programming until this much time passed on the clock. */
    programmingDelayMs: z.number().int().nonnegative().default(0),
    /** 0: a blocked credential is effective at once; >0: pending_propagation until then. */
    propagationDelayMs: z.number().int().nonnegative().default(0),
    /** Simulated round-trip time of every vendor call (real time, not the injected clock). */
    latencyMs: z.number().int().nonnegative().default(0),
    /** A vendor call that has not answered after this long fails as retryable. */
    requestTimeoutMs: z.number().int().positive().default(5000),
    catalog: z.array(catalogEntry).min(1).default(DEFAULT_MEMORY_CATALOG),
    faults: z.array(faultStep).default([]),
    /** Name of the secret (KEYBRIDGE_SECRET_<NAME>) the simulated vendor signs webhooks with; none = no webhooks. */
    webhookSecretName: z.string().min(1).optional(),
    /** Share the simulated key system across processes through this Redis (crash tests, demo). */
    redisUrl: z.string().url().optional(),
    /** With redisUrl: the Redis Cluster's seed nodes (`host:port`), when the state lives on a cluster. */
    redisClusterNodes: z.array(z.string().min(1)).min(1).optional(),
    keyPrefix: z.string().min(1).default("kb"),
  })
  .strict();

export type MemoryOptions = z.infer<typeof memoryOptionsSchema>;

/** The webhook secret named by the options, from the injected secrets; ConfigError when it is missing. */
export function memoryWebhookSecret(
  systemId: string,
  options: MemoryOptions,
  secrets: Readonly<Record<string, string>>,
): string | undefined {
  if (options.webhookSecretName === undefined) return undefined;
  const secret = secrets[options.webhookSecretName];
  if (!secret) {
    throw new ConfigError(`key system ${systemId}: webhook secret not provided`, [
      `webhookSecretName: no secret named ${options.webhookSecretName}`,
    ]);
  }
  return secret;
}

export function parseMemoryOptions(systemId: string, options: unknown): MemoryOptions {
  const parsed = memoryOptionsSchema.safeParse(options ?? {});
  if (parsed.success) return parsed.data;
  const violations = parsed.error.issues.map((i) => `${i.path.join(".") || "(options)"}: ${i.message}`);
  throw new ConfigError(`key system ${systemId}: invalid memory driver options`, violations);
}
