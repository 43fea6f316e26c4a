// The shipped example end to end against the iLOQ fake over real HTTP, configured as an operator would
// (keySystems.main-iloq in the config file, the password from KEYBRIDGE_SECRET_ILOQ_PASSWORD): Entra-,
// Okta- and SailPoint-provisioned persons get phone keys holding the example's security accesses (the
// control room within its staffed hours), and lose them when the IdP deactivates them — confirmed by
// the fake's own key records, not only by our ledger.
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { IloqFakeServer } from "../fakes/iloq/iloq-fake-server";
import type { FakeKey } from "../fakes/iloq/iloq-fake-types";
import { systemClock } from "../../src/drivers/key-system-driver";
import { type E2eKeybridge, e2eConfig, LAYOUTS, startKeybridge } from "./e2e-processes";
import {
  CONTROL_ROOM_SCHEDULE,
  EXAMPLE_PERSONS,
  EXAMPLE_TENANTS,
  exampleMappings,
  runExamplePersons,
  type VendorSide,
} from "./example-flow";
import { EXAMPLE_ILOQ, seedExampleIloq } from "../fakes/iloq/iloq-example-seed";

const MS_PER_MINUTE = 60_000;

function keysOf(fake: IloqFakeServer, ext: string): FakeKey[] {
  const persons = [...fake.state.persons.values()].filter((p) => p.ExternalPersonId === ext);
  const ids = new Set(persons.map((p) => p.Person_ID));
  return [...fake.state.keys.values()].filter((k) => k.Person_ID !== null && ids.has(k.Person_ID));
}

function iloqSide(fake: IloqFakeServer): VendorSide {
  return {
    system: "main-iloq",
    async heldRefs(ext) {
      return keysOf(fake, ext)
        .flatMap((k) => k.programmed?.securityAccessIds ?? [])
        .sort();
    },
    async program(ext) {
      // The person's phone app fetches and applies the ordered packet (iLOQ S50: 1 → 2 → 3, §2.2).
      for (const key of keysOf(fake, ext)) {
        if (!key.packet) continue;
        fake.control.phoneFetched(key.FNKey_ID);
        fake.control.keyProgrammed(key.FNKey_ID);
      }
    },
    async checkGranted(ext, expected) {
      if (!expected["control-room"]) return;
      // The staffed hours are on the key as iLOQ time limits (15-minute grid), in local minutes.
      const slots = keysOf(fake, ext).flatMap((k) => k.programmed?.timeLimitSlots ?? []);
      const windows = slots.flatMap((s) => s.TimeLimitData).map((d) => [d.StartTimeMS, d.EndTimeMS]);
      const declared = CONTROL_ROOM_SCHEDULE.windows.map((w) => [
        w.startMinute * MS_PER_MINUTE,
        w.endMinute * MS_PER_MINUTE,
      ]);
      expect(windows).toEqual(expect.arrayContaining(declared));
    },
    revokePendingStates: ["pending_programming", "pending_propagation"],
  };
}

describe.each(LAYOUTS)("the shipped example on the iLOQ fake (%s)", (layout) => {
  let redis: TestRedis;
  let fake: IloqFakeServer;
  let kb: E2eKeybridge;

  beforeAll(async () => {
    redis = await startTestRedis();
    fake = new IloqFakeServer({ clock: systemClock });
    seedExampleIloq(fake.state);
    await fake.start();
    kb = await startKeybridge(
      e2eConfig(
        {
          redisUrl: redis.url,
          mappingsDir: exampleMappings(),
          tenants: EXAMPLE_TENANTS,
          keySystems: {
            "main-iloq": {
              options: {
                baseUrl: fake.url,
                customerCode: EXAMPLE_ILOQ.customerCode,
                userName: EXAMPLE_ILOQ.userName,
                passwordSecret: "ILOQ_PASSWORD",
                lockGroupId: EXAMPLE_ILOQ.lockGroupId,
                requestTimeoutMs: 2000,
              },
            },
          },
          reconcile: { backoffMs: 50, confirmAfterMs: 200 },
        },
        { ILOQ_PASSWORD: EXAMPLE_ILOQ.password },
      ),
      layout,
    );
  });

  afterAll(async () => {
    await kb?.close();
    await fake?.stop();
    await redis.stop();
  });

  it("Entra-, Okta- and SailPoint-provisioned persons get phone keys with the example's access, and lose them", async () => {
    const persons = EXAMPLE_PERSONS.filter((p) => p.expect["main-iloq"]);
    await runExamplePersons(kb, [iloqSide(fake)], persons);
  });
});
