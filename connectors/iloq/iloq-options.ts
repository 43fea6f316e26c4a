// The iLOQ driver's options (zod-validated by the factory; a bad option is a ConfigError at start-up).
import { z } from "zod";
import { ConfigError } from "../../src/config/config-error";

export const iloqOptionsSchema = z
  .object({
    /** Server before GetUrl resolution, e.g. https://s5.iloq.com/iloqws (key-systems.md §2.1). */
    baseUrl: z.url(),
    customerCode: z.string().min(1),
    userName: z.string().min(1),
    /** Name of the secret (deps.secrets) holding the API user's password. */
    passwordSecret: z.string().min(1),
    /** The locking system to select with SetLockgroup, when the mapping scope gives no lockGroupId. */
    lockGroupId: z.string().min(1).optional(),
    /** Name of the secret holding the API Gateway key; when set every call sends `x-api-key` (§2.1). */
    apiKeySecret: z.string().min(1).optional(),
    /** Zone for new persons and keys; when absent the first zone of Type 4 is used ([3p] HelloID). */
    zoneId: z.string().min(1).optional(),
    /** API-type rights the mappings use; others on a key are foreign (reported, never removed). All when absent. */
    managedAccessIds: z.array(z.string().min(1)).optional(),
    requestTimeoutMs: z.number().int().positive().default(15_000),
    /** Re-login before this much idle time (the vendor's idle timeout is undocumented, §2.1). */
    sessionIdleMs: z
      .number()
      .int()
      .positive()
      .default(15 * 60_000),
    /** IANA zone used when the LockGroup's TimeZoneStandardName is not recognised. */
    timeZone: z.string().min(1).default("UTC"),
    /** Phone keys: how long the S50 app works offline (written with every rights update, §2.2). */
    offlineExpirationSeconds: z.number().int().positive().optional(),
    /** Estimate for blocklist propagation to locks, for exposureUntil of a blocked key (§2.5). */
    blocklistPropagationHours: z.number().positive().default(72),
    /** Name of the secret holding the webhook subscription's SignKey (§2.6); webhooks refused without it. */
    webhookSignKeySecret: z.string().min(1).optional(),
    /** Deliveries whose CreationTimeUtc is older than this are ignored as replays (§2.6). */
    webhookMaxAgeMs: z
      .number()
      .int()
      .positive()
      .default(15 * 60_000),
    /** First pullEvents (no cursor) starts this far back in lock-log database time. */
    eventsLookbackMs: z
      .number()
      .int()
      .nonnegative()
      .default(24 * 3600_000),
    /** Re-read window behind the cursor for logs committed late; ids seen inside it are skipped. */
    eventsOverlapMs: z.number().int().nonnegative().default(60_000),
  })
  .strict();

export type IloqOptions = z.infer<typeof iloqOptionsSchema>;

/** Which key to issue is the key system's one credential setting now, not a driver option. */
export const MSG_CREDENTIAL_POLICY_MOVED =
  "credentialPolicy is no longer an iloq option: set keySystems.<id>.credential.kind (phone, tag, physical or none)";

export function parseIloqOptions(systemId: string, options: unknown): IloqOptions {
  if (options && typeof options === "object" && "credentialPolicy" in options) {
    throw new ConfigError(`key system ${systemId}: invalid iloq driver options`, [
      `credentialPolicy: ${MSG_CREDENTIAL_POLICY_MOVED.replace("<id>", systemId)}`,
    ]);
  }
  const parsed = iloqOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const violations = parsed.error.issues.map((i) => `${i.path.join(".") || "(options)"}: ${i.message}`);
    throw new ConfigError(`key system ${systemId}: invalid iloq driver options`, violations);
  }
  return parsed.data;
}
