// The one configuration schema: validated once at start-up, frozen, passed down (ARCHITECTURE §4).
// Secrets never live here: options name a secret (e.g. `passwordSecret: "ILOQ_PASSWORD"`) that is read
// from KEYBRIDGE_SECRET_<NAME> or KEYBRIDGE_SECRET_<NAME>_FILE by load-config.ts.
import { z } from "zod";

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lower-case letters, digits and '-', at most 63");

export const rateLimitSchema = z
  .object({
    requestsPerSecond: z.number().positive().describe("sustained requests per second per tenant"),
    burst: z.number().int().positive().describe("requests allowed in one burst"),
  })
  .strict();

export const tenantSchema = z
  .object({
    id: id.describe("tenant id, the {tenant} in /scim/v2/{tenant}"),
    displayName: z.string().min(1),
    kind: z.enum(["entra", "okta", "sailpoint", "generic"]).describe("which IdP dialect to expect"),
    rateLimit: rateLimitSchema.optional().describe("overrides scim.rateLimit for this tenant"),
  })
  .strict();

export const keySystemConfigSchema = z
  .object({
    mode: z
      .enum(["observe", "enforce"])
      .default("enforce")
      .describe("observe computes and audits plans without writing"),
    concurrency: z.number().int().positive().default(4).describe("parallel reconcile jobs for this system"),
    rateLimit: z
      .object({ max: z.number().int().positive(), durationMs: z.number().int().positive() })
      .strict()
      .optional()
      .describe("vendor calls budget: at most `max` jobs per `durationMs`"),
    credential: z
      .enum(["phone", "tag", "physical", "none"])
      .optional()
      .describe(
        "credential issued to a person who gets grants and holds none (default: phone; none where keys are handed over physically)",
      ),
    options: z
      .record(z.string(), z.unknown())
      .default({})
      .describe("driver connection options; validated by the driver"),
  })
  .strict();

export const configSchema = z
  .object({
    port: z.number().int().min(0).max(65535).default(8080).describe("HTTP port (env PORT)"),
    host: z.string().default("0.0.0.0").describe("listen address (env HOST)"),
    publicBaseUrl: z
      .string()
      .url()
      .optional()
      .describe("external base URL used in meta.location (env KEYBRIDGE_PUBLIC_URL)"),
    redisUrl: z.string().default("redis://127.0.0.1:6379").describe("Redis URL (env REDIS_URL)"),
    dataDir: z.string().default("./data").describe("where a private redis-server keeps its AOF"),
    logLevel: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])
      .default("info")
      .describe("log level (env LOG_LEVEL)"),
    tenants: z
      .array(tenantSchema)
      .default([{ id: "demo", displayName: "Demo", kind: "generic" }])
      .describe("IdP connections; without any, a `demo` tenant (kind generic)"),
    scim: z
      .object({
        maxBodyBytes: z
          .number()
          .int()
          .positive()
          .default(10 * 1024 * 1024)
          .describe("largest SCIM request body (Okta PUTs groups with all members)"),
        maxPageSize: z
          .number()
          .int()
          .positive()
          .default(1000)
          .describe("largest `count` served in one list page"),
        rateLimit: rateLimitSchema
          .default({ requestsPerSecond: 200, burst: 400 })
          .describe("per-tenant request budget; 429 with Retry-After beyond it"),
      })
      .strict()
      .default({
        maxBodyBytes: 10 * 1024 * 1024,
        maxPageSize: 1000,
        rateLimit: { requestsPerSecond: 200, burst: 400 },
      }),
    mappingsDir: z
      .string()
      .default("./mappings")
      .describe("directory of mapping files (env KEYBRIDGE_MAPPINGS)"),
    keySystems: z
      .record(id, keySystemConfigSchema)
      .default({})
      .describe("per key system declared in the mappings: mode, concurrency, rate limit, driver options"),
    reconcile: z
      .object({
        attempts: z
          .number()
          .int()
          .positive()
          .default(12)
          .describe("attempts per reconcile job before it is stuck"),
        backoffMs: z
          .number()
          .int()
          .positive()
          .default(2000)
          .describe("first retry delay; grows exponentially with jitter"),
        resyncEveryMs: z
          .number()
          .int()
          .positive()
          .default(24 * 60 * 60 * 1000)
          .describe("full resync period of every person in every key system"),
        confirmAfterMs: z
          .number()
          .int()
          .positive()
          .default(10_000)
          .describe("how long after a pending effect the worker checks again whether it is effective"),
        workItemRecheckMs: z
          .number()
          .int()
          .positive()
          .default(300_000)
          .describe(
            "while a person has an open work item (hand a key out or in), how often the worker checks whether it is done",
          ),
      })
      .strict()
      .default({
        attempts: 12,
        backoffMs: 2000,
        resyncEveryMs: 24 * 60 * 60 * 1000,
        confirmAfterMs: 10_000,
        workItemRecheckMs: 300_000,
      }),
    secrets: z.record(z.string(), z.string()).default({}).describe("filled from the environment only"),
  })
  .strict();

export type Config = Readonly<z.infer<typeof configSchema>>;
export type TenantConfig = z.infer<typeof tenantSchema>;
export type KeySystemConfig = z.infer<typeof keySystemConfigSchema>;
