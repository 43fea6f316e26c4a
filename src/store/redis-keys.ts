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

  // --- memory driver (connectors/memory/) -----------------------------------------------------
  /** The whole simulated key system of one memory-driver system id, as one JSON value. */
  memoryDriverState: (keyPrefix: string, systemId: string) => `{${keyPrefix}:memory:${systemId}}:state`,
} as const;

export type RedisKeys = typeof redisKeys;
