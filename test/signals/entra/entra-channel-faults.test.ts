// The Entra Graph channel when Graph misbehaves: an expired delta token (410 Gone) makes a full round
// that loses nothing; a link to another origin is never followed; a process restart after a page was
// applied but before the deltaLink was stored replays the round, and the core applies it once.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readChannelState } from "../../../src/signals/channel-state";
import { redisKeys } from "../../../src/store/redis-keys";
import {
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
const nextId = () => `00000000-0000-4000-9000-${String(++n).padStart(12, "0")}`;

beforeAll(async () => {
  h = await startEntraHarness();
});
afterAll(() => h.close());

const usersLink = () => h.kb.core.redis.hget(redisKeys.entraDelta(TENANT), "users");
const cursorOf = (link: string | null) =>
  link === null
    ? -1
    : (
        JSON.parse(
          Buffer.from(new URL(link).searchParams.get("$deltatoken") ?? "", "base64url").toString(),
        ) as {
          t: number;
        }
      ).t;

async function granted(entraId: string): Promise<string> {
  const personId = await provisionStaff(h, entraId);
  await waitFor(async () => (await programmedRefs(h, personId)).includes("profile-1"), "office granted");
  const seq = h.fake.directory.seq;
  await waitFor(async () => cursorOf(await usersLink()) >= seq, "a round past the provisioning");
  return personId;
}

test("an expired delta token (410 Gone) starts a full round at once, and the disable in the gap is not lost", async () => {
  const entraId = nextId();
  const personId = await granted(entraId);
  const before = h.fake.requests.length;
  h.fake.expireDeltaTokens("gone");
  h.fake.directory.disable(entraId);
  await waitFor(
    async () => (await programmedRefs(h, personId)).length === 0,
    "office revoked after the reset",
  );
  const calls = h.fake.requests.slice(before).filter((r) => r.path === "/v1.0/users/delta");
  const gone = calls.findIndex((r) => r.status === 410);
  expect(gone).toBeGreaterThanOrEqual(0);
  // The next request is a new full round: no delta token, the $select of a first call.
  expect(calls[gone + 1]?.query).toBe("?$select=id,accountEnabled,userPrincipalName,employeeLeaveDateTime");
  expect(await h.kb.core.redis.hget(redisKeys.entraDelta(TENANT), "users:epoch")).toBe("1");
  const applied = (await signalAudits(h, "signal.applied")).filter((r) => r.subject.id === personId);
  expect(applied.map((r) => (r.data as { kind: string }).kind)).toEqual(["disabled"]);
});

test("a user deleted and a member removed while the token was expired are found by the full round", async () => {
  const gone = nextId();
  const left = nextId();
  const gonePerson = await granted(gone);
  const leftPerson = await granted(left);
  h.fake.expireDeltaTokens("syncStateNotFound");
  h.fake.directory.delete(gone, "deleted");
  h.fake.directory.removeMember(STAFF_GROUP, left);
  await waitFor(async () => (await programmedRefs(h, gonePerson)).length === 0, "deleted user revoked");
  await waitFor(async () => (await programmedRefs(h, leftPerson)).length === 0, "removed member revoked");
  // Users and groups reset in separate rounds (the groups one may come first and already revoke the
  // deleted user's group): wait for each full round's own finding.
  const evidence = async (personId: string) =>
    (await signalAudits(h, "signal.applied"))
      .filter((r) => r.subject.id === personId)
      .map((r) => (r.data as { evidence: Record<string, string> }).evidence);
  const found = (personId: string, absent: Record<string, string>) =>
    waitFor(
      async () =>
        (await evidence(personId)).some((e) => Object.entries(absent).every(([k, v]) => e[k] === v)),
      `absent ${absent.absent}`,
    );
  await found(gonePerson, { absent: "user" });
  await found(leftPerson, { absent: "member", group: STAFF_GROUP });
});

test("a nextLink to another origin is refused: nothing is sent there and the stored link stays on Graph", async () => {
  const seen: string[] = [];
  const other: Server = createServer((req, res) => {
    seen.push(req.url ?? "");
    res.end("{}");
  });
  await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
  try {
    const origin = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    h.fake.serveForeignLinkOnce(origin);
    await waitFor(
      async () =>
        (await readChannelState(h.kb.core.redis, TENANT, "entra")).lastError === "BRIDGE_GRAPH_FOREIGN_LINK",
      "the channel reports the refused link",
    );
    expect(seen).toEqual([]);
    // The channel goes on polling Graph itself: a disable after the refusal still lands.
    const entraId = nextId();
    const personId = await granted(entraId);
    h.fake.directory.disable(entraId);
    await waitFor(async () => (await programmedRefs(h, personId)).length === 0, "office revoked");
    expect(new URL((await usersLink()) ?? "").origin).toBe(h.fake.url);
    expect(seen).toEqual([]);
  } finally {
    await new Promise<void>((r) => other.close(() => r()));
  }
});

test("a restart after a page was applied but before the deltaLink was stored replays the round once", async () => {
  const entraId = nextId();
  const personId = await granted(entraId);
  // Every answer that would end a round fails, as if the process died right before storing the link.
  const failedBefore = h.fake.requests.filter((r) => r.status === 503).length;
  h.fake.scriptFault({
    path: "/v1.0/users/delta",
    status: 503,
    retryAfterSeconds: 1,
    times: 10_000,
    deltaLinkPagesOnly: true,
  });
  // Once a round has failed on its last page, no round can store a link any more.
  await waitFor(
    async () => h.fake.requests.filter((r) => r.status === 503).length > failedBefore,
    "a failed round",
  );
  const linkBefore = await usersLink();
  h.fake.directory.disable(entraId);
  for (let i = 0; i < 3; i++) h.fake.directory.addUser({ id: nextId() }); // the round spans two pages
  const disabled = async () =>
    (await signalAudits(h, "signal.applied")).find(
      (r) => r.subject.id === personId && (r.data as { kind: string }).kind === "disabled",
    );
  const first = await waitFor(disabled, "the disable applied from the round's first page");
  await h.restart();
  expect(await usersLink()).toBe(linkBefore);
  h.fake.clearFaults();
  const seq = h.fake.directory.seq;
  await waitFor(async () => cursorOf(await usersLink()) >= seq, "the replayed round stored its link");
  await waitFor(async () => (await programmedRefs(h, personId)).length === 0, "office revoked");
  const eventId = (first.data as { eventId: string }).eventId;
  const sameEvent = (type: string) =>
    signalAudits(h, type).then((rs) => rs.filter((r) => (r.data as { eventId: string }).eventId === eventId));
  expect(await sameEvent("signal.applied")).toHaveLength(1);
  expect((await sameEvent("signal.duplicate")).length).toBeGreaterThanOrEqual(1);
});
