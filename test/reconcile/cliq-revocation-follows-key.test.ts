// CLIQ through the real reconcile step (real Redis, store, ledger, audit, the CLIQ driver over mutual TLS
// against its fake): a leaver's revocation follows the key's real state — pending with the key's
// revalidation deadline until the key meets a programming device, then effective without a hand-in and
// without a new SCIM touch — and work items close themselves: the hand-out item once the grant is
// effective, the hand-in item once the key is back in the vendor's stock.
import { randomUUID } from "node:crypto";
import type { RedisClient } from "../../src/store/create-redis-client";
import { holderExternalId } from "../../src/access/holder-spec";
import { AuditTrail } from "../../src/audit/audit-trail";
import type { KeySystemDriver } from "../../src/drivers/key-system-driver";
import { silentLogger } from "../../src/log/logger";
import { parseMappingSources } from "../../src/mapping/load-mappings";
import { DirtySet } from "../../src/reconcile/dirty-set";
import { GrantLedger } from "../../src/reconcile/grant-ledger";
import { mappingAccessEvaluator } from "../../src/reconcile/mapping-access-evaluator";
import type { ReconcileDeps } from "../../src/reconcile/reconcile-deps";
import type { ReconcileTrigger } from "../../src/reconcile/reconcile-job";
import { reconcilePerson } from "../../src/reconcile/reconcile-person";
import { createReconcileQueues, type ReconcileQueues } from "../../src/reconcile/reconcile-queues";
import { mappingLoadOptions } from "../../src/runtime/driver-scope-schemas";
import { RedisDirectoryStore } from "../../src/store/directory-store";
import { CORE_GROUP_URN, CORE_USER_URN } from "../../src/store/directory-types";
import { redisKeys } from "../../src/store/redis-keys";
import { createCliqDriver } from "../connectors/cliq/cliq-harness";
import { keyInsertedInRemotePD, keyUsed } from "../fakes/cliq/cliq-fake-physical";
import { handIn } from "../fakes/cliq/cliq-fake-procedures";
import { type CliqFake, startCliqFake } from "../fakes/cliq/cliq-fake-server";
import type { ApiUser } from "../fakes/cliq/cliq-fake-types";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

const TENANT = "acme";
const SYSTEM = "subst";
const MAPPINGS = [
  {
    file: "m/systems.yaml",
    text: `apiVersion: keybridge.io/v1\nkind: KeySystem\nid: ${SYSTEM}\ndriver: cliq\nscope:\n  domain: dom-1\n`,
  },
  {
    file: "m/profiles.yaml",
    text: `apiVersion: keybridge.io/v1\nkind: Profile\nname: office\nkeySystems:\n  ${SYSTEM}: { vendorRefs: [ap-office] }\n`,
  },
  {
    file: "m/rules.yaml",
    text: "apiVersion: keybridge.io/v1\nkind: Rule\nname: staff\nmatch:\n  group: { displayName: Staff, byDisplayName: true }\n\ngrants: [office]\n",
  },
];
/** The desk operator taking a key back in the CWM console. */
const DESK: ApiUser = { name: "desk", procedures: ["hand_in"], domainIds: ["dom-1"] };

let testRedis: TestRedis;
let redis: RedisClient;
let fake: CliqFake;
let driver: KeySystemDriver;
let queues: ReconcileQueues;
let deps: ReconcileDeps;
let store: RedisDirectoryStore;
let audit: AuditTrail;

beforeAll(async () => {
  testRedis = await startTestRedis();
});
afterAll(() => testRedis.stop());

beforeEach(async () => {
  redis = testRedis.client();
  await redis.flushall();
  fake = await startCliqFake();
  const mappings = parseMappingSources(MAPPINGS, mappingLoadOptions);
  const scope = mappings.keySystems.get(SYSTEM)?.scope;
  driver = createCliqDriver(fake, { options: { domainId: undefined }, scope });
  const access = mappingAccessEvaluator(() => mappings);
  store = new RedisDirectoryStore({ redis, clock: () => fake.clock.now() });
  queues = createReconcileQueues({ connection: redis, systems: [SYSTEM], attempts: 3 });
  audit = new AuditTrail({ redis, clock: fake.clock });
  deps = {
    directory: store,
    access,
    drivers: new Map([[SYSTEM, driver]]),
    settings: () => ({ mode: "enforce", credentialPolicy: { kind: "physical" } }),
    ledger: new GrantLedger(redis),
    dirty: new DirtySet(redis, () => [SYSTEM]),
    queues,
    audit,
    clock: fake.clock,
    newId: randomUUID,
    logger: silentLogger(),
    confirmAfterMs: 10_000,
    workItemRecheckMs: 300_000,
  };
});
afterEach(async () => {
  await queues?.close();
  await driver?.close();
  await fake?.stop();
});

/** One reconcile run, as the worker does for a SCIM change or a confirm timer. */
const run = (personId: string, trigger: ReconcileTrigger = "confirm") =>
  reconcilePerson({ tenant: TENANT, personId, trigger, correlationId: randomUUID() }, SYSTEM, deps);

async function joiner(): Promise<string> {
  const ctx = { correlationId: "req-1" };
  const user = await store.createUser(
    TENANT,
    { schemas: [CORE_USER_URN], userName: "ada", active: true },
    ctx,
  );
  const id = user.resource?.id ?? "";
  await store.createGroup(TENANT, { schemas: [CORE_GROUP_URN], displayName: "Staff" }, [id], ctx);
  return id;
}

async function deactivate(id: string): Promise<void> {
  await store.updateUser(TENANT, id, ({ id: _id, meta: _meta, ...u }) => ({ ...u, active: false }), {
    correlationId: "req-2",
  });
}

const entryOf = async (id: string) => (await deps.ledger.read(TENANT, SYSTEM, id)).entries[0];
const openItems = async () => (await deps.ledger.listWorkItems(TENANT)).map((w) => w.task.kind).sort();
const keyOf = async (id: string) => {
  const seen = await driver.observe(holderExternalId(TENANT, SYSTEM, id));
  const keyId = seen.credentials[0]?.credentialId;
  if (!keyId) throw new Error("no key");
  return fake.state.key(keyId);
};
const auditTypes = async () =>
  (await redis.xrange(redisKeys.auditLog(), "-", "+")).map(
    ([, f]) => JSON.parse(f[1] ?? "{}").type as string,
  );

test("grant: the hand-out item closes itself once the key is programmed with the grant", async () => {
  const id = await joiner();
  await run(id, "updated");
  expect(await entryOf(id)).toMatchObject({ action: "grant", state: "pending_programming" });
  expect(await openItems()).toEqual(["hand_out_credential"]);
  await run(id); // a confirm run before the key met a PD: nothing changes, no second item
  expect(await openItems()).toEqual(["hand_out_credential"]);
  keyInsertedInRemotePD(fake.state, (await keyOf(id)).id);
  await run(id);
  expect(await entryOf(id)).toMatchObject({ action: "grant", state: "effective" });
  expect(await openItems()).toEqual([]);
  expect(await auditTypes()).toContain("work_item.closed");
});

test("leaver: pending with the revalidation deadline, effective after a PD visit, hand-in closes later", async () => {
  const id = await joiner();
  await run(id, "updated");
  const key = await keyOf(id);
  keyInsertedInRemotePD(fake.state, key.id);
  await run(id);
  const validated = Date.parse(fake.state.key(key.id).revalidation.lastValidatedAt ?? "");

  await deactivate(id);
  await run(id, "updated");
  const pending = await entryOf(id);
  expect(pending).toMatchObject({ action: "revoke", state: "pending_programming" });
  expect(pending?.exposureUntil).toBe(new Date(validated + 7 * 86_400_000).toISOString());
  expect(await openItems()).toEqual(["hand_in_credential"]);
  const timers = (await deps.ledger.read(TENANT, SYSTEM, id)).holder.timers;
  expect(timers?.confirm).toBeDefined();

  // The leaver's key meets a wall PD: CWM confirms no access and validity "never".
  keyInsertedInRemotePD(fake.state, key.id);
  expect(fake.state.key(key.id).programmed).toMatchObject({
    accessProfileIds: [],
    validity: { mode: "never" },
  });
  expect(keyUsed(fake.state, key.id, "cyl-1").granted).toBe(false);
  await run(id); // the confirm timer, no SCIM touch, no hand-in yet
  const done = await entryOf(id);
  expect(done).toMatchObject({ action: "revoke", state: "effective" });
  expect(await openItems()).toEqual(["hand_in_credential"]);
  await run(id);
  expect(await openItems()).toEqual(["hand_in_credential"]); // still one item, not one per run

  // The desk takes the key back and hands it in in CWM: the item closes itself at the next check.
  handIn(fake.state, DESK, key.id);
  await run(id);
  expect(await openItems()).toEqual([]);
  expect((await deps.ledger.read(TENANT, SYSTEM, id)).holder.workItems).toBeUndefined();
  expect((await entryOf(id))?.state).toBe("effective");
});
