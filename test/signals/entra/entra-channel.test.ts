// The Entra Graph channel end to end: keybridge started as `keybridge start` with signals.entra, real
// msal-node against the Graph fake, real Redis and the signals core; the memory key system's own state
// shows the revocation. Each test uses fresh Entra ids, so they share one running stack.
import { redisKeys } from "../../../src/store/redis-keys";
import {
  ENTRA_TENANT_ID,
  type EntraHarness,
  programmedRefs,
  provisionStaff,
  STAFF_GROUP,
  signalAudits,
  startEntraHarness,
  TENANT,
  waitFor,
} from "./entra-harness";

let h: EntraHarness;
let n = 0;
const nextId = () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`;

beforeAll(async () => {
  h = await startEntraHarness();
});
afterAll(() => h.close());

async function grantedThenWatched(entraId: string): Promise<string> {
  const personId = await provisionStaff(h, entraId);
  await waitFor(async () => (await programmedRefs(h, personId)).includes("profile-1"), "office granted");
  // The channel has seen the person's current state (a full round after they were added).
  const seq = h.fake.directory.seq;
  await waitFor(async () => {
    const link = await h.kb.core.redis.hget(redisKeys.entraDelta(TENANT), "users");
    return (
      link !== null &&
      JSON.parse(Buffer.from(new URL(link).searchParams.get("$deltatoken") ?? "", "base64url").toString())
        .t >= seq
    );
  }, "a delta round past the provisioning");
  return personId;
}

test("an account disabled in Entra loses its keys without any SCIM request", async () => {
  const entraId = nextId();
  const personId = await grantedThenWatched(entraId);
  h.fake.directory.disable(entraId);
  await waitFor(
    async () => (await programmedRefs(h, personId)).length === 0,
    "office revoked in the key system",
  );
  const applied = await signalAudits(h, "signal.applied");
  expect(applied.map((r) => [r.subject.id, (r.data as { kind: string }).kind])).toContainEqual([
    personId,
    "disabled",
  ]);
  // Graph was called with the token msal got from the fake, never without one.
  expect(h.fake.requests.filter((r) => r.path.startsWith("/v1.0/")).every((r) => r.authorized)).toBe(true);
  expect(
    h.fake.requests.some((r) => r.path === `/${ENTRA_TENANT_ID}/oauth2/v2.0/token` && r.status === 200),
  ).toBe(true);
});

test("a user deleted in Entra (@removed) loses their keys", async () => {
  const entraId = nextId();
  const personId = await grantedThenWatched(entraId);
  h.fake.directory.delete(entraId, "changed");
  await waitFor(async () => (await programmedRefs(h, personId)).length === 0, "office revoked");
  const kinds = (await signalAudits(h, "signal.applied")).filter((r) => r.subject.id === personId);
  expect(kinds.map((r) => (r.data as { kind: string }).kind)).toContain("deleted");
});

test("removal from the Entra group takes away what that group granted", async () => {
  const entraId = nextId();
  const personId = await grantedThenWatched(entraId);
  h.fake.directory.removeMember(STAFF_GROUP, entraId);
  await waitFor(async () => (await programmedRefs(h, personId)).length === 0, "office revoked");
  const removal = (await signalAudits(h, "signal.applied")).find(
    (r) => r.subject.id === personId && (r.data as { kind: string }).kind === "membership_removed",
  );
  expect((removal?.data as { groupId?: string } | undefined)?.groupId).toBe(STAFF_GROUP);
});

test("a Retry-After storm is honoured: no request before the wait is over, then the disable lands", async () => {
  const entraId = nextId();
  const personId = await grantedThenWatched(entraId);
  const before = h.fake.requests.length;
  h.fake.scriptFault({ path: "/v1.0/users/delta", status: 429, retryAfterSeconds: 1, times: 3 });
  h.fake.directory.disable(entraId);
  await waitFor(
    async () => (await programmedRefs(h, personId)).length === 0,
    "office revoked after the storm",
  );
  const calls = h.fake.requests.slice(before).filter((r) => r.path === "/v1.0/users/delta");
  const throttled = calls.findIndex((r) => r.status === 429);
  expect(calls.filter((r) => r.status === 429)).toHaveLength(3);
  // Node timers may fire up to 1 ms before Date.now() shows the full delay: allow that rounding only.
  for (let i = throttled + 1; i <= throttled + 3; i++)
    expect((calls[i]?.at ?? 0) - (calls[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(999);
});
