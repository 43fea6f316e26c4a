// iLOQ driver behaviour beyond the shared contract, against the fake over HTTP: validity enforced by the
// lock, Manager-only rights, tags, physical keys, licence limits, blocklist ordering in Manager, config.
import { iloqDriverFactory } from "../../../connectors/iloq/iloq-driver-factory";
import type { KeySystemDriver } from "../../../src/drivers/key-system-driver";
import { silentLogger } from "../../../src/log/logger";
import { DEMO_SEED, seedDemo } from "../../fakes/iloq/iloq-fake-seed";
import { IloqFakeServer } from "../../fakes/iloq/iloq-fake-server";

const clock = {
  t: new Date("2026-11-26T10:00:00Z"),
  now() {
    return this.t;
  },
};
const op = { operationId: "op" };
const [A, B] = DEMO_SEED.apiAccessIds as [string, string];
const LOCK = DEMO_SEED.lockIds[0] as string;
let fake: IloqFakeServer;
let drivers: KeySystemDriver[] = [];

beforeEach(async () => {
  clock.t = new Date("2026-11-26T10:00:00Z");
  fake = new IloqFakeServer({ clock });
  seedDemo(fake.state);
  await fake.start();
});

afterEach(async () => {
  for (const d of drivers) await d.close();
  drivers = [];
  await fake.stop();
});

function driver(extra: Record<string, unknown> = {}) {
  const d = iloqDriverFactory.create(
    "hq",
    {
      baseUrl: fake.url,
      customerCode: DEMO_SEED.customerCode,
      userName: DEMO_SEED.userName,
      passwordSecret: "P",
      lockGroupId: DEMO_SEED.lockGroupId,
      ...extra,
    },
    { logger: silentLogger(), clock, secrets: { P: DEMO_SEED.password } },
  );
  drivers.push(d);
  return d;
}

async function holderWithPhone(d: KeySystemDriver, ext = "e1") {
  const { holder } = await d.upsertHolder({ externalId: ext, displayName: "Ada Lovelace" }, op);
  const cred = await d.issueCredential(holder, { kind: "phone", phone: "+358401112222" }, op);
  return { holder, keyId: cred.credentialId };
}

const writes = () =>
  fake.journal.filter((e) => e.method !== "GET" && !/createsession|geturl|setlockgroup/i.test(e.path));

it("writes the validity window into the key in local time, so the lock itself refuses access after it", async () => {
  const d = driver();
  const { holder, keyId } = await holderWithPhone(d);
  const window = { notBefore: "2026-11-26T06:07:00Z", notAfter: "2026-12-31T21:59:00Z" };
  await d.setGrants(holder, [{ vendorRef: A, ...window }], op);
  const key = fake.state.keys.get(keyId)!;
  expect(key.planned.timeLimitSlots.map((s) => [s.SlotNo, s.LimitDateLg])).toEqual([
    [0, "2026-11-26T08:15:00"], // rounded up, Helsinki time
    [1, "2026-12-31T23:45:00"], // rounded down
  ]);
  expect(key.ExpireDate).toBe("2026-12-31T23:45:00");
  fake.control.keyProgrammed(keyId);
  expect(fake.control.accessOutcome(LOCK, keyId, new Date("2026-12-01T12:00:00Z"))).toBe(12);
  expect(fake.control.accessOutcome(LOCK, keyId, new Date("2026-12-31T21:45:00Z"))).toBe(1);
  expect(fake.control.accessOutcome(LOCK, keyId, new Date("2026-11-26T06:10:00Z"))).toBe(1);
  const state = await d.getCredentialState(keyId);
  expect(state?.plannedGrants).toEqual([
    { vendorRef: A, notBefore: "2026-11-26T06:15:00.000Z", notAfter: "2026-12-31T21:45:00.000Z" },
  ]);
});

it("asks for Manager when a desired right is not API type, without changing the key", async () => {
  const d = driver();
  const { holder, keyId } = await holderWithPhone(d);
  const err = await d
    .setGrants(holder, [{ vendorRef: DEMO_SEED.standardAccessId }], op)
    .catch((e: unknown) => e);
  expect(err).toMatchObject({ kind: "manual_action" });
  expect(fake.state.keys.get(keyId)?.planned.securityAccessIds).toEqual([]);
});

it("external tags are programmed at Order, so a grant on a tag is effective at once", async () => {
  const d = driver();
  const { holder } = await d.upsertHolder({ externalId: "t1", displayName: "Tag Holder" }, op);
  const cred = await d.issueCredential(holder, { kind: "tag", serial: "04A1B2C3D4E5F6" }, op);
  expect((await d.setGrants(holder, [{ vendorRef: A }], op)).effect).toBe("effective");
  expect((await d.getCredentialState(cred.credentialId))?.effect).toBe("effective");
});

it("physical keys: handed out and handed in by people, with a task each way", async () => {
  const d = driver();
  const { holder } = await d.upsertHolder({ externalId: "s5", displayName: "Key Holder" }, op);
  const issued = await d.issueCredential(holder, { kind: "physical", serial: "S5-000123" }, op);
  expect(issued.manualTasks.map((t) => t.kind)).toEqual(["hand_out_credential"]);
  await d.setGrants(holder, [{ vendorRef: A, notAfter: "2027-01-01T00:00:00Z" }], op);
  fake.control.keyProgrammed(issued.credentialId);
  const revoked = await d.revokeCredential(issued.credentialId, "offboarding", op);
  expect(revoked.effect).toBe("manual_action_required");
  expect(revoked.manualTasks.map((t) => t.kind)).toEqual(["hand_in_credential"]);
  expect(revoked.exposureUntil).toBe("2027-01-01T00:00:00.000Z");
});

it("a licence limit (CanOrder 3) is permanent; a phone key without number is refused before any write", async () => {
  fake.assumptions.phoneKeyLicences = 0;
  const d = driver();
  const { holder } = await holderWithPhone(d);
  await expect(d.setGrants(holder, [{ vendorRef: A }], op)).rejects.toMatchObject({
    kind: "permanent",
    vendorSignal: "CanOrder=3",
  });
  fake.journal.length = 0;
  await expect(d.issueCredential(holder, { kind: "phone" }, op)).rejects.toMatchObject({ kind: "permanent" });
  expect(writes()).toEqual([]);
});

it("a lost key on a system that orders its blocklist in Manager yields a Manager task, not a retry", async () => {
  fake.assumptions.blacklistNeedsManager = true;
  const d = driver();
  const { holder, keyId } = await holderWithPhone(d);
  await d.setGrants(holder, [{ vendorRef: A }, { vendorRef: B }], op);
  fake.control.keyProgrammed(keyId);
  const res = await d.revokeCredential(keyId, "stolen", op);
  expect(res.effect).toBe("manual_action_required");
  expect(res.manualTasks.map((t) => t.kind)).toEqual(["program_with_manager"]);
  expect(fake.state.blacklist.map((b) => b.FNKey_ID)).toEqual([keyId]);
});

it("rejects bad options and missing secrets at start-up", () => {
  expect(() =>
    iloqDriverFactory.create("hq", { baseUrl: "not a url" }, { logger: silentLogger(), clock, secrets: {} }),
  ).toThrow(/invalid iloq driver options/);
  const options = {
    baseUrl: "https://s5.iloq.com/iloqws",
    customerCode: "C",
    userName: "u",
    passwordSecret: "ILOQ_PASSWORD",
    lockGroupId: "g",
  };
  expect(() =>
    iloqDriverFactory.create("hq", options, { logger: silentLogger(), clock, secrets: {} }),
  ).toThrow(/KEYBRIDGE_SECRET_ILOQ_PASSWORD/);
});
