// The one configuration schema: validated once at start-up, frozen, passed down (ARCHITECTURE §4).
// Secrets never live here: options name a secret (e.g. `passwordSecret: "ILOQ_PASSWORD"`) that is read
// from KEYBRIDGE_SECRET_<NAME> or KEYBRIDGE_SECRET_<NAME>_FILE by load-config.ts.
import { z } from "zod";
import { DEFAULT_REDIS_SETTINGS, redisSchema } from "./redis-schema";
import { tenantSignalsSchema } from "./signals-config-schema";

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lower-case letters, digits and '-', at most 63");

export const rateLimitSchema = z
  .object({
    requestsPerSecond: z.number().positive().describe("sustained requests per second per tenant"),
    burst: z.number().int().positive().describe("requests allowed in one burst"),
  })
  .strict();

/** Failed or missing authentication per source address: generous for an IdP with a stale token. */
const AUTH_FAILURE_LIMIT_DEFAULTS = { requestsPerSecond: 10, burst: 100 };

/** Defaults of scim.limits (zod 4 returns a `.default` value as is, so it is spelled out in full). */
export const DEFAULT_SCIM_LIMITS = {
  nestingMaxDepth: 64,
  stringMaxLength: 65_536,
  multiValuedMaxEntries: 100,
  patchMaxOperations: 1000,
  patchMaxMembers: 10_000,
  filterMaxLength: 4096,
  filterMaxTerms: 64,
  filterScanMax: 1000,
  attributesMax: 100,
  pageMaxBytes: 2 * 1024 * 1024,
};

const limit = (meaning: string) => z.number().int().positive().describe(meaning);

export const scimLimitsSchema = z
  .object({
    nestingMaxDepth: limit("deepest object/array nesting of a request body, checked before parsing").default(
      DEFAULT_SCIM_LIMITS.nestingMaxDepth,
    ),
    stringMaxLength: limit(
      "longest string value or member name in a request body (characters); one attribute cannot bloat every read",
    ).default(DEFAULT_SCIM_LIMITS.stringMaxLength),
    multiValuedMaxEntries: limit(
      "entries per multi-valued User attribute (emails, phoneNumbers, roles…) in a request",
    ).default(DEFAULT_SCIM_LIMITS.multiValuedMaxEntries),
    patchMaxOperations: limit("operations in one PATCH request").default(
      DEFAULT_SCIM_LIMITS.patchMaxOperations,
    ),
    patchMaxMembers: limit(
      "member values in one PATCH (Okta replaces a pushed group's whole member list); a group PUT is bounded by maxGroupBodyBytes",
    ).default(DEFAULT_SCIM_LIMITS.patchMaxMembers),
    filterMaxLength: limit("longest `filter` accepted (characters), checked before parsing").default(
      DEFAULT_SCIM_LIMITS.filterMaxLength,
    ),
    filterMaxTerms: limit("most comparisons in one filter, and most OR-branches it may expand to").default(
      DEFAULT_SCIM_LIMITS.filterMaxTerms,
    ),
    filterScanMax: limit(
      "most resources one filter may check one by one for unindexed comparisons, all OR branches together; beyond it the filter must be narrowed",
    ).default(DEFAULT_SCIM_LIMITS.filterScanMax),
    attributesMax: limit("most entries in `attributes` or `excludedAttributes`").default(
      DEFAULT_SCIM_LIMITS.attributesMax,
    ),
    pageMaxBytes: limit(
      "about how many bytes of resources one list page carries; a page ends early beyond it (at least one resource), and itemsPerPage tells the IdP where to go on",
    ).default(DEFAULT_SCIM_LIMITS.pageMaxBytes),
  })
  .strict();

export const tenantSchema = z
  .object({
    id: id.describe("tenant id, the {tenant} in /scim/v2/{tenant}"),
    displayName: z.string().min(1),
    kind: z.enum(["entra", "okta", "sailpoint", "generic"]).describe("which IdP dialect to expect"),
    rateLimit: rateLimitSchema.optional().describe("overrides scim.rateLimit for this tenant"),
    signals: tenantSignalsSchema.optional().describe("fast revocation channels of this IdP (issue #11)"),
  })
  .strict();

/** A SCIM attribute path: `attr`, `attr.sub`, `<schema urn>:attr`, optionally `[type eq "value"]`. */
export const ATTRIBUTE_PATH =
  /^(urn:[A-Za-z0-9.:-]+:)?[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)?(\[type eq "[^"\]]+"\])?$/;

const attributePath = z
  .string()
  .regex(ATTRIBUTE_PATH, 'a SCIM attribute path like phoneNumbers[type eq "mobile"] or <urn>:employeeNumber');

const credentialObjectSchema = z
  .object({
    kind: z
      .enum(["phone", "tag", "physical", "none"])
      .describe("phone key, RFID tag, physical key record, or none (keys are handed out by hand)"),
    phoneAttribute: attributePath
      .default('phoneNumbers[type eq "mobile"]')
      .describe("phone keys: the SCIM attribute holding the number the key is registered to"),
    serialAttribute: attributePath
      .optional()
      .describe(
        "tag and physical keys: the SCIM attribute holding the key's serial (tag id / ROM id); needed unless the driver picks keys from a pool (CLIQ keyPool)",
      ),
  })
  .strict();

/** `credential: phone` is short for `credential: { kind: phone }` (the form earlier versions took). */
export const credentialSettingSchema = z.preprocess(
  (value) => (typeof value === "string" ? { kind: value } : value),
  credentialObjectSchema,
);

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
    credential: credentialSettingSchema
      .optional()
      .describe(
        "credential issued to a person who gets grants and holds none; a kind alone (`phone`) is short for `{ kind: phone }` (default: phone for drivers that issue remotely, none where keys are handed over physically)",
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
    apiProcesses: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(1)
      .describe(
        "SCIM API processes `start` and `serve` run on one port (node:cluster); more than 1 uses more cores (env KEYBRIDGE_API_PROCESSES)",
      ),
    publicBaseUrl: z
      .string()
      .url()
      .optional()
      .describe("external base URL used in meta.location (env KEYBRIDGE_PUBLIC_URL)"),
    redisUrl: z.string().default("redis://127.0.0.1:6379").describe("Redis URL (env REDIS_URL)"),
    redis: redisSchema
      .default(DEFAULT_REDIS_SETTINGS)
      .describe(
        "how to reach Redis beyond one redisUrl: Redis Cluster, Redis Sentinel, replica confirmation of writes (see README)",
      ),
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
          .default(1024 * 1024)
          .describe(
            "largest SCIM request body except a group POST/PUT (bodies over 256 KiB are parsed in slices that yield to the event loop)",
          ),
        maxGroupBodyBytes: z
          .number()
          .int()
          .positive()
          .default(10 * 1024 * 1024)
          .describe(
            "largest POST/PUT /Groups body: Okta's AIW apps PUT a group with all its members, and refusing it would also drop the removals it carries",
          ),
        maxPageSize: z
          .number()
          .int()
          .positive()
          .default(1000)
          .describe("largest `count` served in one list page"),
        rateLimit: rateLimitSchema
          .default({ requestsPerSecond: 200, burst: 400 })
          .describe("per-tenant request budget; 429 with Retry-After beyond it"),
        authFailureLimit: z
          .object({
            requestsPerSecond: z
              .number()
              .positive()
              .describe("sustained failed requests per second per address"),
            burst: z.number().int().positive().describe("failed requests allowed in one burst per address"),
          })
          .strict()
          .default(AUTH_FAILURE_LIMIT_DEFAULTS)
          .describe(
            "per source address, in process: requests without a valid token beyond this get 429 before any Redis work",
          ),
        trustProxy: z
          .union([z.boolean(), z.number().int().nonnegative(), z.string().min(1)])
          .default(false)
          .describe(
            "Express `trust proxy`: false ignores X-Forwarded-*; true, a hop count or the proxies' addresses (comma-separated) trust them",
          ),
        limits: scimLimitsSchema
          .default(DEFAULT_SCIM_LIMITS)
          .describe("bounds on the work one request can cause"),
      })
      .strict()
      .default({
        maxBodyBytes: 1024 * 1024,
        maxGroupBodyBytes: 10 * 1024 * 1024,
        maxPageSize: 1000,
        rateLimit: { requestsPerSecond: 200, burst: 400 },
        authFailureLimit: AUTH_FAILURE_LIMIT_DEFAULTS,
        trustProxy: false,
        limits: DEFAULT_SCIM_LIMITS,
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
        lockDurationMs: z
          .number()
          .int()
          .min(1000)
          .default(8_000)
          .describe(
            "BullMQ job lock: a killed worker's job is free again this long after its last renewal. Shorter recovers an interrupted revocation sooner; the lock is renewed every half of it, so a Redis stall longer than that half lets a second worker start the same job (harmless: reconcile is idempotent)",
          ),
        stalledIntervalMs: z
          .number()
          .int()
          .min(500)
          .default(3_000)
          .describe(
            "how often each worker looks for jobs whose lock ran out; a stalled job restarts within about lockDurationMs + stalledIntervalMs (defaults: ≤ 11 s, inside the 15 s recovery target). Each look is one small Redis script per queue",
          ),
        workItemRecheckMs: z
          .number()
          .int()
          .positive()
          .default(300_000)
          .describe(
            "while a person has an open work item (hand a key out or in), how often the worker checks whether it is done",
          ),
        resyncBatchSize: z
          .number()
          .int()
          .min(1)
          .max(1000)
          .default(100)
          .describe(
            "persons per full-resync job: a batch observes them and writes the bookkeeping of those already converged in one Redis pipeline; anyone with something to change gets a reconcile of their own (1: one job per person, as before; key systems with a rateLimit always resync one job per person)",
          ),
        resyncObserveParallelism: z
          .number()
          .int()
          .min(1)
          .max(256)
          .default(8)
          .describe(
            "driver observe calls one full-resync batch makes at a time; a key system sees up to concurrency × this many during a resync",
          ),
      })
      .strict()
      .refine((r) => r.stalledIntervalMs <= r.lockDurationMs, {
        message: "stalledIntervalMs must not exceed lockDurationMs",
        path: ["stalledIntervalMs"],
      })
      .default({
        attempts: 12,
        backoffMs: 2000,
        resyncEveryMs: 24 * 60 * 60 * 1000,
        confirmAfterMs: 10_000,
        lockDurationMs: 8_000,
        stalledIntervalMs: 3_000,
        workItemRecheckMs: 300_000,
        resyncBatchSize: 100,
        resyncObserveParallelism: 8,
      }),
    admin: z
      .object({
        enabled: z.boolean().default(true).describe("serve the admin API under /admin (admin tokens only)"),
        sessionTtlMs: z
          .number()
          .int()
          .positive()
          .default(8 * 60 * 60 * 1000)
          .describe("lifetime of an admin console session (cookie and its Redis entry)"),
        fourEyes: z
          .boolean()
          .default(false)
          .describe("an emergency revoke waits for a second operator's approval before it takes effect"),
      })
      .strict()
      .default({ enabled: true, sessionTtlMs: 8 * 60 * 60 * 1000, fourEyes: false }),
    metrics: z
      .object({
        enabled: z.boolean().default(true).describe("serve Prometheus metrics at /metrics on the API port"),
        tokenSecret: z
          .string()
          .optional()
          .describe(
            "name of the secret (KEYBRIDGE_SECRET_<NAME>) a scraper must send as a bearer token; without it /metrics is open",
          ),
      })
      .strict()
      .default({ enabled: true }),
    secrets: z.record(z.string(), z.string()).default({}).describe("filled from the environment only"),
  })
  .strict();

export type Config = Readonly<z.infer<typeof configSchema>>;
export type ScimLimits = z.infer<typeof scimLimitsSchema>;
export type TenantConfig = z.infer<typeof tenantSchema>;
export type KeySystemConfig = z.infer<typeof keySystemConfigSchema>;
