// Every Redis key keybridge writes is built here (ARCHITECTURE §2). Keys of one tenant share the hash
// tag `{kb:<tenant>}` so multi-key transactions on a tenant stay in one Redis Cluster slot.
// Sections are grouped by owning module; add new keys in the section of the module that owns them.

const tag = (tenant: string) => `{kb:${tenant}}`;

export type DirectoryResource = "user" | "group";

export const redisKeys = {
  // --- tenants and tokens (scim/) -------------------------------------------------------------
  tenants: () => "{kb}:tenants",
  /** Hash tokenId → JSON {hash (sha256 hex), created, last4}; secrets themselves are never stored. */
  tenantTokens: (tenant: string) => `${tag(tenant)}:tokens`,
  /** Hash {tokens, at}: the tenant's SCIM request token bucket, shared by every API process. */
  tenantRateLimit: (tenant: string) => `${tag(tenant)}:ratelimit`,

  // --- admin API (admin/): one space of its own, never a tenant's, so a SCIM token cannot match ---
  /** Hash tokenId → JSON {id, name, role, created, last4, hash (sha256 hex)}; secrets are never stored. */
  adminTokens: () => "{kb:admin}:tokens",
  /** String: session JSON {tokenId, name, role, csrf, expiresAt}, keyed by the session id's sha256, with a TTL. */
  adminSession: (idHash: string) => `{kb:admin}:session:${idHash}`,

  // --- directory (store/) ---------------------------------------------------------------------
  /** String `<version>|<seq>|<created>|<lastModified>|<canonical JSON>` (store/resource-codec.ts). */
  user: (tenant: string, id: string) => `${tag(tenant)}:user:${id}`,
  /** Same layout as user; the members live in groupMembers, never in the JSON. */
  group: (tenant: string, id: string) => `${tag(tenant)}:group:${id}`,
  /** Set of member user ids; userGroups is its reverse index (user id → group ids). */
  groupMembers: (tenant: string, id: string) => `${tag(tenant)}:group:${id}:members`,
  userGroups: (tenant: string, id: string) => `${tag(tenant)}:user:${id}:groups`,
  /**
   * Hash user id → display (displayName, else userName), kept by the user save and delete scripts so
   * a group answer names its members (`members[].display`) with HMGET, not by decoding every user.
   */
  userDisplays: (tenant: string) => `${tag(tenant)}:users:display`,
  personGeneration: (tenant: string, id: string) => `${tag(tenant)}:person:${id}:gen`,
  /** Sorted set personId → time first changed and not yet reconciled (the durable outbox). */
  dirtyPersons: (tenant: string) => `${tag(tenant)}:dirty`,
  /**
   * Sorted set `<system>|<personId>` → due time (epoch ms) of that person's earliest timer in that key
   * system (confirm, validity start or end): the dirty sweeper's backstop for a timer that never ran.
   */
  timersDue: (tenant: string) => `${tag(tenant)}:timers-due`,
  /**
   * List of `<seq>|<audit event JSON>`: each directory write's SCIM audit record, appended by the same
   * script as the write (so in the tenant's slot) and moved onto the chain by audit/audit-outbox.ts.
   */
  auditOutbox: (tenant: string) => `${tag(tenant)}:audit-outbox`,
  /** Counter of the tenant's outbox entries: their order and their exactly-once identity. */
  auditOutboxSeq: (tenant: string) => `${tag(tenant)}:audit-outbox:seq`,
  /**
   * List of member ids one big group save sends ahead of its script (store/stage-members.ts), `add` or
   * `remove`; private to that save (random `stage` id), deleted by its script, with a TTL for a crash.
   */
  memberStage: (tenant: string, stage: string, side: "add" | "remove") =>
    `${tag(tenant)}:member-stage:${stage}:${side}`,
  /** Lexicographic index (sorted set, score 0) of `<normalised value>\0<id>` for one attribute. */
  directoryIndex: (tenant: string, resource: DirectoryResource, attribute: string) =>
    `${tag(tenant)}:${resource}s:ix:${attribute}`,
  /** Creation sequence counter; the paging order (RFC 7644 §3.4.2.4 needs a stable one). */
  directorySeq: (tenant: string, resource: DirectoryResource) => `${tag(tenant)}:${resource}s:seq`,
  /** Sorted set id → creation sequence: the stable paging order. */
  directoryOrder: (tenant: string, resource: DirectoryResource) => `${tag(tenant)}:${resource}s:order`,
  /** Sorted set id → meta.lastModified in ms, for `meta.lastModified gt|ge` (SailPoint deltas). */
  directoryModified: (tenant: string, resource: DirectoryResource) => `${tag(tenant)}:${resource}s:modified`,
  /** Sorted sets id → creation sequence of active and of inactive users, for `active eq`. */
  activeUsers: (tenant: string) => `${tag(tenant)}:users:active`,
  inactiveUsers: (tenant: string) => `${tag(tenant)}:users:inactive`,

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
  /**
   * Sorted set personId → time first deferred: persons changed while a key system had no connection
   * settings. Its outbox instead of a queue job, drained when the system becomes configured; one
   * entry per person, so it is bounded by the directory's size however long the system stays away.
   */
  deferredPersons: (tenant: string, system: string) => `${tag(tenant)}:deferred:${system}`,
  /**
   * Hash key system (or "*" for all) → operator suspension JSON (operations/operator-suspensions.ts):
   * an emergency revoke that makes the mappings desire nothing for the person there until lifted.
   */
  operatorSuspension: (tenant: string, personId: string) => `${tag(tenant)}:person:${personId}:suspension`,
  /** Set of person ids with an operator suspension (the admin API's list). */
  operatorSuspended: (tenant: string) => `${tag(tenant)}:operator-suspended`,
  /** Hash request id → emergency revoke waiting for a second operator (admin.fourEyes). */
  pendingEmergencyRevokes: (tenant: string) => `${tag(tenant)}:emergency-requests`,
  /** The mapping fingerprint the last full resync ran for (start-up resync when it changed). */
  resyncFingerprint: () => "{kb}:reconcile:mappings-fingerprint",
  /**
   * Counter a full resync of one key system bumps before it enqueues anyone: a converged shortcut is
   * only taken on a ledger that observed since the latest one (reconcile/converged-shortcut.ts).
   */
  resyncEpoch: (system: string) => `{kb}:reconcile:resync-epoch:${system}`,

  // --- reconcile queues (reconcile/): BullMQ builds its keys as <prefix>:<queue name>:… ---------
  queuePrefix: () => "kb",
  /** One queue per key system; the braces are the Redis Cluster hash tag of all its keys. */
  reconcileQueue: (system: string) => `{kb-q-${system}}`,

  // --- IdP signals (signals/) -----------------------------------------------------------------
  /**
   * Hash of what signals hold against one person (signals/signal-hold.ts): `suspension`,
   * `confirmation`, `group:<IdP group id>` → held signal JSON. Read with the person by getPerson.
   */
  signalHold: (tenant: string, personId: string) => `${tag(tenant)}:signal:hold:${personId}`,
  /** Sorted set personId → time the person's hold last changed: who to list in the signals report. */
  signalHolds: (tenant: string) => `${tag(tenant)}:signal:holds`,
  /** Sorted set eventId → time received, per channel: the bounded dedupe memory (trimmed by age and size). */
  signalSeen: (tenant: string, channel: string) => `${tag(tenant)}:signal:seen:${channel}`,
  /** Hash of one channel's state: last signal, counts per outcome, last error, last poll (signals status). */
  signalChannelState: (tenant: string, channel: string) => `${tag(tenant)}:signal:channel:${channel}`,
  /** List (newest first, capped) of recent unmatched signals `<time>|<channel>|<eventId>`. */
  signalUnmatched: (tenant: string) => `${tag(tenant)}:signal:unmatched`,
  /** List of raw hook deliveries waiting to be applied (the receiver answers once they are here). */
  signalInbox: (tenant: string, channel: string) => `${tag(tenant)}:signal:inbox:${channel}`,
  /** Hash {since, next, savedAt} of the Okta System Log poller: next is saved only after its page is applied. */
  oktaLogCursor: (tenant: string) => `${tag(tenant)}:signal:okta-log:cursor`,
  /** String: the token of the process that polls the tenant's System Log (a lease with a TTL). */
  oktaLogLease: (tenant: string) => `${tag(tenant)}:signal:okta-log:lease`,
  /** String lock token: one process at a time applies an inbox, in order. */
  signalInboxLock: (tenant: string, channel: string) => `${tag(tenant)}:signal:inbox:${channel}:lock`,
  /** Signals whose apply kept failing (signal-inbox.ts), kept for an operator: the last 1,000. */
  signalInboxDead: (tenant: string, channel: string) => `${tag(tenant)}:signal:inbox:${channel}:dead`,

  // --- Entra Graph channel (signals/entra/) -----------------------------------------------------
  /**
   * Hash of the tenant's delta state: `users` / `groups` = the deltaLink of the last fully applied round,
   * `users:epoch` / `groups:epoch` = how many times Graph made that delta start over (part of round ids),
   * `leaversAt` = when upcoming leave dates were last queried.
   */
  entraDelta: (tenant: string) => `${tag(tenant)}:signals:entra:delta`,
  /** String lock token: the one worker process polling this tenant's Graph delta (SET NX PX). */
  entraPollLock: (tenant: string) => `${tag(tenant)}:signals:entra:lock`,
  /** Sorted set Entra user id → employeeLeaveDateTime in ms: revocations scheduled at a leave date. */
  entraLeavers: (tenant: string) => `${tag(tenant)}:signals:entra:leavers`,

  // --- memory driver (connectors/memory/) -----------------------------------------------------
  /** The whole simulated key system of one memory-driver system id, as one JSON value. */
  memoryDriverState: (keyPrefix: string, systemId: string) => `{${keyPrefix}:memory:${systemId}}:state`,

  // --- audit (audit/) -------------------------------------------------------------------------
  // One global chain for every tenant: a single total order is what an auditor reads, and both keys
  // share the tag `{kb:audit}` so the append script touches one Redis Cluster slot (docs/audit.md).
  /** Stream of audit records, entry id `<seq>-0`, field `r` = canonical JSON. Never trimmed. */
  auditLog: () => "{kb:audit}:log",
  /** Hash { seq, hash, time } of the last appended record: the compare-and-set point of append. */
  auditHead: () => "{kb:audit}:head",
  /** Hash tenant → the last outbox seq on the chain; advanced by the append script with the records. */
  auditOutboxMoved: () => "{kb:audit}:outbox-moved",
  /** A counter the outbox mover bumps to confirm the chain's replicas before a drop (audit-outbox.ts). */
  auditChainConfirmed: () => "{kb:audit}:chain-confirmed",
} as const;

export type RedisKeys = typeof redisKeys;
