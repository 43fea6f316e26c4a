// Request and response translation of the CWM adapter (the one file holding the [inf] wire format),
// checked in both directions: pure mapping, and what the plain-HTTP fake stores after each call.
import { CliqTransport } from "../../../connectors/cliq/cliq-transport";
import { CwmAdapter, toAccessBody, toCliqKey, toPersonBody } from "../../../connectors/cliq/cwm-adapter";
import { systemClock } from "../../../src/drivers/key-system-driver";
import { type CliqFake, startCliqFake } from "../../fakes/cliq/cliq-fake-server";
import { seedKey } from "../../fakes/cliq/cliq-fake-seed";

test("a wire key becomes a record with planned and programmed access", () => {
  const wire = {
    ...seedKey("key-1", "123456789", "connect"),
    status: "handed_out" as const,
    holderId: "per-1",
    accessProfileIds: ["ap-1"],
    cylinderAuthorisations: ["cyl-7"],
    validity: { mode: "between" as const, to: "2030-01-01T00:00:00.000Z" },
    pendingUpdate: { jobId: "job-1", createdAt: "2026-01-01T00:00:00.000Z" },
    programmed: {
      accessProfileIds: [],
      cylinderAuthorisations: ["cyl-7"],
      validity: { mode: "always" as const },
      scheduleId: null,
    },
  };
  expect(toCliqKey(wire)).toEqual({
    id: "key-1",
    serial: "123456789",
    kind: "connect",
    status: "handed_out",
    holderId: "per-1",
    planned: { profileIds: ["ap-1"], cylinderIds: ["cyl-7"], validity: wire.validity, scheduleId: null },
    programmed: { profileIds: [], cylinderIds: ["cyl-7"], validity: { mode: "always" }, scheduleId: null },
    updatePending: true,
    revalidation: { enabled: true, intervalDays: 7 },
    domainId: "dom-1",
  });
});

test("access and person bodies use the CWM-like v0 field names", () => {
  const access = {
    profileIds: ["ap-1"],
    cylinderIds: ["cyl-7"],
    validity: { mode: "always" as const },
    scheduleId: "sch-1",
  };
  // Direct cylinder authorisations are never sent: the bridge does not own them.
  expect(toAccessBody(access)).toEqual({
    accessProfileIds: ["ap-1"],
    validity: { mode: "always" },
    scheduleId: "sch-1",
  });
  expect(
    toPersonBody({ externalId: "x-1", firstName: "Ada", lastName: "Lovelace", domainId: "dom-1" }, "kb"),
  ).toEqual({
    type: "employee",
    firstName: "Ada",
    lastName: "Lovelace",
    email: undefined,
    externalLinks: [{ system: "kb", value: "x-1" }],
    domainIds: ["dom-1"],
  });
});

describe("against the plain-HTTP fake", () => {
  let fake: CliqFake;
  let transport: CliqTransport;
  let cwm: CwmAdapter;
  beforeEach(async () => {
    fake = await startCliqFake({ tls: false });
    transport = new CliqTransport(fake.baseUrl, null, 2000);
    cwm = new CwmAdapter(transport, systemClock, "keybridge");
  });
  afterEach(async () => {
    transport.close();
    await fake.stop();
  });

  test("person create and look-up by external link", async () => {
    const created = await cwm.createPerson({
      externalId: "x:1",
      firstName: "Ada",
      lastName: "Lovelace",
      domainId: "dom-1",
    });
    expect(created.externalId).toBe("x:1");
    expect(await cwm.findPersonByExternalId("x:1")).toEqual(created);
    expect(await cwm.findPersonByExternalId("x:2")).toBeNull();
    expect(fake.journal.map((e) => `${e.method} ${e.path}`)).toEqual([
      "POST /cwm/api/v0/persons",
      "GET /cwm/api/v0/persons",
      "GET /cwm/api/v0/persons",
    ]);
  });

  test("hand-out, access change and report-lost write what the bridge asked for", async () => {
    const person = await cwm.createPerson({
      externalId: "x-1",
      firstName: "A",
      lastName: "B",
      domainId: "dom-1",
    });
    const validity = { mode: "between" as const, to: "2030-01-01T00:00:00.000Z" };
    const out = await cwm.handOut(
      "key-d1",
      person.id,
      { profileIds: [], cylinderIds: [], validity, scheduleId: null },
      3,
    );
    expect(out).toMatchObject({ waitsFor: "key", jobCount: 1 });
    expect(fake.state.key("key-d1")).toMatchObject({ status: "handed_out", holderId: person.id, validity });
    expect(fake.state.key("key-d1").revalidation).toMatchObject({ enabled: true, intervalDays: 3 });
    const access = { profileIds: ["ap-office"], cylinderIds: [], validity, scheduleId: "sch-office-hours" };
    await cwm.changeAccess("key-d1", access);
    expect(fake.state.key("key-d1")).toMatchObject({
      accessProfileIds: ["ap-office"],
      scheduleId: "sch-office-hours",
    });
    const lost = await cwm.reportLost("key-d1", "stolen");
    expect(lost.key.status).toBe("lost");
    expect(await cwm.pendingCylinderJobs("key-d1")).toBe(lost.cylinderJobs);
    expect(await cwm.key("key-nope")).toBeNull();
  });
});
