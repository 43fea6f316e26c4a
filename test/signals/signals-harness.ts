// keybridge started as `keybridge start` on the memory key systems with Okta Event Hook and SailPoint
// trigger receivers configured, plus the steps the signal tests share: provision a person over SCIM
// until their keys hold the grants, wait for revocations, read the audit trail.
import { SAILPOINT_SIMULATOR_TOKEN } from "../fakes/sailpoint/sailpoint-simulator";
import type { AuditRecord } from "../../src/audit/audit-record";
import { holderExternalId } from "../../src/access/holder-spec";
import { redisKeys } from "../../src/store/redis-keys";
import { type E2eKeybridge, e2eConfig, type ProcessLayout, startKeybridge } from "../e2e/e2e-processes";
import { EXAMPLE_PERSONS, EXAMPLE_TENANTS, type ExamplePerson, exampleMappings } from "../e2e/example-flow";
import { type Idp, provision, type ScimCall } from "../e2e/idp-sequences";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

export const OKTA_TENANT = "nordwerk-okta";
export const ISC_TENANT = "nordwerk-sailpoint";
export const OKTA_SECRET = "okta-hook-secret-0123456789abcdef";
/** The subscription token `keybridge simulate sailpoint` sends, so its banner can be tried as printed. */
export const ISC_TOKEN = SAILPOINT_SIMULATOR_TOKEN;
const SIMULATED = { options: { programmingDelayMs: 20, propagationDelayMs: 20 } };

export interface SignalsKeybridge {
  kb: E2eKeybridge;
  redis: TestRedis;
  hookUrl(kind: "okta" | "sailpoint", tenant: string): string;
  close(): Promise<void>;
}

export async function startSignalsKeybridge(
  layout: ProcessLayout = "start",
  overrides: Record<string, unknown> = {},
): Promise<SignalsKeybridge> {
  const redis = await startTestRedis();
  const tenants = EXAMPLE_TENANTS.map((t) => ({ ...t })) as Array<Record<string, unknown>>;
  for (const t of tenants) {
    if (t.id === OKTA_TENANT)
      t.signals = { oktaHook: { secretName: "OKTA_HOOK", headerName: "Authorization" } };
    if (t.id === ISC_TENANT) t.signals = { sailpoint: { auth: "bearer", secretName: "ISC_TRIGGER" } };
  }
  const config = e2eConfig(
    {
      redisUrl: redis.url,
      mappingsDir: exampleMappings({ "main-iloq": "memory", "substations-cliq": "memory" }),
      tenants,
      keySystems: { "main-iloq": SIMULATED, "substations-cliq": SIMULATED },
      reconcile: { backoffMs: 50, confirmAfterMs: 200 },
      ...overrides,
    },
    { OKTA_HOOK: OKTA_SECRET, ISC_TRIGGER: ISC_TOKEN },
  );
  const kb = await startKeybridge(config, layout);
  const port = kb.port;
  return {
    kb,
    redis,
    hookUrl: (kind, tenant) => `http://127.0.0.1:${port}/hooks/${kind}/${tenant}`,
    async close() {
      await kb.close();
      await redis.stop();
    },
  };
}

export interface Provisioned {
  id: string;
  tenant: string;
  /** The IdP's id of the person (the SCIM externalId the IdP sent). */
  idpId: string;
  person: ExamplePerson;
  scim: ScimCall;
}

const TENANT_OF: Record<Idp, string> = { entra: "nordwerk-entra", okta: OKTA_TENANT, sailpoint: ISC_TENANT };

/** An example person of this IdP under a fresh userName (tests share one keybridge). */
export function examplePerson(idp: Idp, name: string): ExamplePerson {
  const base =
    EXAMPLE_PERSONS.find((p) => p.idp === idp && p.facts.groups?.length) ??
    EXAMPLE_PERSONS.find((p) => p.idp === idp);
  if (!base) throw new Error(`no example person for ${idp}`);
  // Group names are unique per tenant: each test person gets its own copy (same IdP object id).
  const groups = base.facts.groups?.map((g) => ({ ...g, displayName: `${g.displayName} (${name})` }));
  const facts = { ...base.facts, userName: `${name}@nordwerk.example` };
  return { ...base, facts: groups ? { ...facts, groups } : facts };
}

/** Provisions over SCIM and waits until every expected grant is effective. */
export async function provisionGranted(kb: E2eKeybridge, person: ExamplePerson): Promise<Provisioned> {
  const tenant = TENANT_OF[person.idp];
  const scim = await kb.scim(tenant);
  const id = await provision(person.idp, scim, person.facts);
  for (const [system, profiles] of Object.entries(person.expect))
    for (const profile of Object.keys(profiles))
      await kb.waitForLedger(tenant, system, id, profile, "grant", ["effective"]);
  return { id, tenant, idpId: `ext-${person.facts.userName}`, person, scim };
}

/** Waits until every grant the person had is revoked and effective in the key system's own state. */
export async function waitRevoked(kb: E2eKeybridge, p: Provisioned): Promise<void> {
  for (const [system, profiles] of Object.entries(p.person.expect)) {
    for (const profile of Object.keys(profiles))
      await kb.waitForLedger(p.tenant, system, p.id, profile, "revoke", ["effective"]);
    const held = await heldRefs(kb, system, holderExternalId(p.tenant, system, p.id));
    if (held.length > 0) throw new Error(`${system} still holds ${held.join(",")}`);
  }
}

/** Vendor refs the memory key system's credentials hold for a holder (its own state, not our ledger). */
export async function heldRefs(kb: E2eKeybridge, system: string, externalId: string): Promise<string[]> {
  const seen = await kb.driver(system).observe(externalId);
  return seen.credentials
    .filter((c) => c.status !== "returned" && c.status !== "blocked" && c.status !== "lost")
    .flatMap((c) => c.programmedGrants.map((g) => g.vendorRef))
    .sort();
}

export async function auditRecords(kb: E2eKeybridge, type?: string): Promise<AuditRecord[]> {
  await kb.core.auditOutbox.move(OKTA_TENANT);
  await kb.core.auditOutbox.move(ISC_TENANT);
  const entries = await kb.core.redis.xrange(redisKeys.auditLog(), "-", "+");
  const records = entries.map(([, f]) => JSON.parse(f[1] ?? "{}") as AuditRecord);
  return type ? records.filter((r) => r.type === type) : records;
}

/** Polls until `check` returns a value (not undefined), or throws after timeoutMs. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
