// Every Redis key keybridge writes is built here (ARCHITECTURE §2). Keys of one tenant share the hash
// tag `{kb:<tenant>}` so multi-key transactions on a tenant stay in one Redis Cluster slot.
// Sections are grouped by owning module; add new keys in the section of the module that owns them.

const tag = (tenant: string) => `{kb:${tenant}}`;

export const redisKeys = {
  // --- tenants and tokens (scim/) -------------------------------------------------------------
  tenants: () => "{kb}:tenants",
  tenantTokens: (tenant: string) => `${tag(tenant)}:tokens`,

  // --- directory (store/) ---------------------------------------------------------------------
  user: (tenant: string, id: string) => `${tag(tenant)}:user:${id}`,
  group: (tenant: string, id: string) => `${tag(tenant)}:group:${id}`,
  groupMembers: (tenant: string, id: string) => `${tag(tenant)}:group:${id}:members`,
  userGroups: (tenant: string, id: string) => `${tag(tenant)}:user:${id}:groups`,
  personGeneration: (tenant: string, id: string) => `${tag(tenant)}:person:${id}:gen`,
  /** Sorted set personId → time first changed and not yet reconciled (the durable outbox). */
  dirtyPersons: (tenant: string) => `${tag(tenant)}:dirty`,

  // --- grant ledger and reconcile bookkeeping (reconcile/) -----------------------------------
  /** Hash profile → ledger entry JSON, plus the field `_holder` (what we wrote about the holder). */
  grantLedger: (tenant: string, system: string, personId: string) =>
    `${tag(tenant)}:ledger:${system}:${personId}`,
  /** Hash personId → the generation last reconciled in that key system (dirty-set removal). */
  reconciledGenerations: (tenant: string, system: string) => `${tag(tenant)}:reconciled:${system}`,
  /** Hash "<system>|<personId>" → why that person needs an operator's attention (JSON). */
  needsAttention: (tenant: string) => `${tag(tenant)}:attention`,
  /** Hash work item id → manual work item JSON (hand in a key, program with a manager…). */
  workItems: (tenant: string) => `${tag(tenant)}:work-items`,
  /** The mapping fingerprint the last full resync ran for (start-up resync when it changed). */
  resyncFingerprint: () => "{kb}:reconcile:mappings-fingerprint",

  // --- reconcile queues (reconcile/): BullMQ builds its keys as <prefix>:<queue name>:… ---------
  queuePrefix: () => "kb",
  /** One queue per key system; the braces are the Redis Cluster hash tag of all its keys. */
  reconcileQueue: (system: string) => `{kb-q-${system}}`,
} as const;

export type RedisKeys = typeof redisKeys;
