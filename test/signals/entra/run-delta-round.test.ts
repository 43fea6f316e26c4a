// One delta round against the Graph fake with a recording apply (real Redis, real msal-node): the first
// round is a full baseline in which accounts already disabled are signals too, and enabled ones are not
// announced one by one; the next round carries only changes, from the stored deltaLink.
import type { IdpSignal } from "../../../src/signals/idp-signal";
import { entraSignalSchema } from "../../../src/config/entra-signal-schema";
import { entraTokenSource } from "../../../src/signals/entra/entra-token-source";
import { GraphClient } from "../../../src/signals/entra/graph-client";
import { runDeltaRound } from "../../../src/signals/entra/run-delta-round";
import { GraphFakeServer } from "../../fakes/graph/graph-fake-server";
import { startTestRedis, type TestRedis } from "../../helpers/test-redis";

const TID = "3c3c3c3c-0000-4000-8000-000000000001";
let redis: TestRedis;
let fake: GraphFakeServer;

beforeAll(async () => {
  redis = await startTestRedis();
  fake = new GraphFakeServer({ tenantId: TID, app: { clientId: "app", secret: "s" } });
  await fake.start();
});
afterAll(async () => {
  await fake.stop();
  await redis.stop();
});

test("the first round is a baseline: disabled accounts are signals, then only changes follow", async () => {
  for (const id of ["u1", "u2", "u3", "u4"]) fake.directory.addUser({ id });
  fake.directory.addUser({ id: "gone-before", accountEnabled: false });
  fake.directory.addGroup("g1");
  fake.directory.addMember("g1", "u1");
  const config = entraSignalSchema.parse({
    tenantId: TID,
    clientId: "app",
    secretName: "S",
    authorityHost: fake.url,
    graphBaseUrl: fake.url,
  });
  const graph = new GraphClient({
    baseUrl: fake.url,
    token: entraTokenSource(config, { S: "s" }),
    sleep: async () => {},
  });
  const applied: IdpSignal[] = [];
  const deps = {
    tenant: "t",
    redis: redis.client(),
    graph,
    apply: async (s: IdpSignal) => {
      applied.push(s);
      return { status: "applied" as const };
    },
    now: () => new Date(),
    stillOwner: async () => true,
  };
  const first = await runDeltaRound(deps, "users");
  expect(first.baseline).toBe(true);
  expect(first.pages).toBeGreaterThan(2); // an empty first page, then 5 users over pages of 3
  expect(applied.map((s) => [s.subject, s.kind])).toEqual([["gone-before", "disabled"]]);
  expect((await runDeltaRound(deps, "groups")).signals).toBe(0);

  applied.length = 0;
  fake.directory.disable("u2");
  fake.directory.enable("gone-before");
  fake.directory.removeMember("g1", "u1");
  const second = await runDeltaRound(deps, "users");
  expect(second.baseline).toBe(false);
  await runDeltaRound(deps, "groups");
  expect(applied.map((s) => [s.subject, s.kind, s.groupId ?? null])).toEqual([
    ["u2", "disabled", null],
    ["gone-before", "confirmed_active", null],
    ["u1", "membership_removed", "g1"],
  ]);
});
