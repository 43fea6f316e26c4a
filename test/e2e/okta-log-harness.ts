// Shared parts of the Okta System Log end-to-end tests: keybridge started through src/runtime on the
// shipped example with memory key systems, Okta org fakes per tenant, persons provisioned over SCIM until
// their grants are effective, and readers for the audit trail's signal records.
import { generateKeyPairSync } from "node:crypto";
import { holderExternalId } from "../../src/access/holder-spec";
import { redisKeys } from "../../src/store/redis-keys";
import type { E2eKeybridge } from "./e2e-processes";
import { EXAMPLE_PERSONS, type ExamplePerson } from "./example-flow";
import { type Idp, provision } from "./idp-sequences";

/**
 * Tests poll every 0.2 s, 300 times a minute: a bucket that size keeps the poller clear of its own
 * rate-limit pause (the 429 storm test scripts its 429s explicitly).
 */
export const FAST_POLL_BUCKET = { rateLimit: { limit: 10_000, windowSeconds: 60 } };

export const SIMULATED = { options: { programmingDelayMs: 50, propagationDelayMs: 50 } };

export function rsaKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    publicPem: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/** The example person of `idp` under a fresh name: the same HR facts, so the same grants. */
export function examplePerson(idp: Idp, n: number): ExamplePerson {
  const base = EXAMPLE_PERSONS.find((p) => p.idp === idp);
  if (!base) throw new Error(`no example person for ${idp}`);
  const [local, domain] = base.facts.userName.split("@");
  const facts = { ...base.facts, userName: `${local}${n}@${domain}`, mobile: `+49151999${1000 + n}` };
  return { ...base, facts };
}

export interface GrantedPerson {
  id: string;
  /** The SCIM externalId the IdP sent: the Okta user id the join key matches. */
  externalId: string;
  person: ExamplePerson;
}

/** Provisions over SCIM and waits until every expected grant is effective. */
export async function provisionGranted(
  kb: E2eKeybridge,
  tenant: string,
  person: ExamplePerson,
  timeoutMs = 20_000,
) {
  const scim = await kb.scim(tenant);
  const id = await provision(person.idp, scim, person.facts);
  for (const [system, profiles] of Object.entries(person.expect))
    for (const profile of Object.keys(profiles))
      await kb.waitForLedger(tenant, system, id, profile, "grant", ["effective"], timeoutMs);
  return { id, externalId: `ext-${person.facts.userName}`, person } satisfies GrantedPerson;
}

/** Waits until every grant is revoked and effective, then checks the key system holds nothing. */
export async function expectRevoked(kb: E2eKeybridge, tenant: string, granted: GrantedPerson): Promise<void> {
  for (const [system, profiles] of Object.entries(granted.person.expect)) {
    for (const profile of Object.keys(profiles))
      await kb.waitForLedger(tenant, system, granted.id, profile, "revoke", ["effective"]);
    const seen = await kb.driver(system).observe(holderExternalId(tenant, system, granted.id));
    const held = seen.credentials
      .filter((c) => c.status !== "returned" && c.status !== "blocked" && c.status !== "lost")
      .flatMap((c) => c.programmedGrants);
    expect(held).toEqual([]);
  }
}

export interface SignalRecord {
  type: string;
  tenant: string;
  actor: string;
  data: { channel: string; eventId: string; kind: string; subject?: string };
}

export async function signalRecords(kb: E2eKeybridge): Promise<SignalRecord[]> {
  const entries = await kb.core.redis.xrange(redisKeys.auditLog(), "-", "+");
  return entries
    .map(([, fields]) => JSON.parse(fields[fields.indexOf("r") + 1] ?? "{}") as SignalRecord)
    .filter((r) => r.type.startsWith("signal."));
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits for the audit record of `type` about `eventId`. */
export function waitForSignalRecord(kb: E2eKeybridge, type: string, eventId: string) {
  return waitFor(`${type} ${eventId}`, async () =>
    (await signalRecords(kb)).find((r) => r.type === type && r.data.eventId === eventId),
  );
}
