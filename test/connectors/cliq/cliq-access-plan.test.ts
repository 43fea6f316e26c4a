// Pure CLIQ decisions: desired grants → key access, key → credential state, exposure, CWM names.
import {
  credentialStateOf,
  cwmName,
  envelopeValidity,
  exposureBound,
  planAccess,
  sameAccess,
} from "../../../connectors/cliq/cliq-access-plan";
import type { CliqKey } from "../../../connectors/cliq/cwm-records";

const managed = (id: string) => id.startsWith("ap-");
const now = new Date("2026-03-01T12:00:00.000Z");

function key(over: Partial<CliqKey> = {}): CliqKey {
  const access = {
    profileIds: ["ap-1", "foreign-1"],
    cylinderIds: ["cyl-9"],
    validity: { mode: "always" as const },
    scheduleId: null,
  };
  return {
    id: "key-1",
    serial: "100000001",
    kind: "dynamic",
    status: "handed_out",
    holderId: "per-1",
    planned: access,
    programmed: access,
    updatePending: false,
    revalidation: { enabled: true, intervalDays: 7, lastValidatedAt: "2026-02-27T12:00:00.000Z" },
    domainId: "dom-1",
    ...over,
  };
}

test("planAccess replaces only bridge-managed profiles and keeps cylinder authorisations", () => {
  const next = planAccess(key().planned, [{ vendorRef: "ap-2" }], managed);
  expect(next.profileIds.sort()).toEqual(["ap-2", "foreign-1"]);
  expect(next.cylinderIds).toEqual(["cyl-9"]);
  expect(sameAccess(next, planAccess(next, [{ vendorRef: "ap-2" }], managed))).toBe(true);
});

test("validity is the envelope of the grant windows; an open grant leaves that side open", () => {
  expect(
    envelopeValidity([
      { vendorRef: "a", notAfter: "2027-01-01" },
      { vendorRef: "b", notAfter: "2028-01-01" },
    ]),
  ).toEqual({
    mode: "between",
    to: "2028-01-01",
  });
  expect(envelopeValidity([{ vendorRef: "a", notAfter: "2027-01-01" }, { vendorRef: "b" }])).toEqual({
    mode: "always",
  });
  expect(envelopeValidity([{ vendorRef: "a", notBefore: "2026-05-01" }])).toEqual({
    mode: "between",
    from: "2026-05-01",
  });
});

test("an empty desired set keeps validity and schedule", () => {
  const current = {
    ...key().planned,
    validity: { mode: "between" as const, to: "2027-01-01" },
    scheduleId: "s",
  };
  expect(planAccess(current, [], managed)).toMatchObject({
    profileIds: ["foreign-1"],
    validity: current.validity,
    scheduleId: "s",
  });
});

test("exposure ends at the earlier of validity end and revalidation expiry", () => {
  expect(exposureBound(key(), now)).toBe("2026-03-06T12:00:00.000Z");
  const short = { ...key().planned, validity: { mode: "between" as const, to: "2026-03-02T00:00:00.000Z" } };
  expect(exposureBound(key({ programmed: short }), now)).toBe("2026-03-02T00:00:00.000Z");
  expect(exposureBound(key({ revalidation: { enabled: false, intervalDays: 7 } }), now)).toBeUndefined();
  expect(exposureBound(key({ programmed: null }), now)).toBe(now.toISOString());
});

test("credential state: pending update, programmed, blocked with or without open cylinder jobs, returned", () => {
  expect(credentialStateOf(key({ updatePending: true }), managed, now)).toMatchObject({
    status: "programming",
    effect: "pending_programming",
  });
  const programmed = credentialStateOf(key(), managed, now);
  expect(programmed).toMatchObject({ status: "programmed", effect: "effective" });
  expect(programmed.plannedGrants).toEqual([{ vendorRef: "ap-1" }]);
  expect(credentialStateOf(key({ status: "lost" }), managed, now, 2)).toMatchObject({
    status: "lost",
    effect: "pending_propagation",
    exposureUntil: "2026-03-06T12:00:00.000Z",
  });
  expect(credentialStateOf(key({ status: "lost" }), managed, now, 0)).toMatchObject({
    status: "blocked",
    effect: "effective",
  });
  expect(credentialStateOf(key({ status: "in_stock" }), managed, now)).toMatchObject({ status: "returned" });
});

test("CWM first + last name always reads as the IdP displayName", () => {
  expect(cwmName({ displayName: "Ada Lovelace", firstName: "Ada", lastName: "Lovelace" })).toEqual({
    firstName: "Ada",
    lastName: "Lovelace",
  });
  expect(cwmName({ displayName: "Ada Lovelace (Contractor)", firstName: "Ada" })).toEqual({
    firstName: "Ada",
    lastName: "Lovelace (Contractor)",
  });
  expect(cwmName({ displayName: "Renamed Person", firstName: "Contract", lastName: "Person" })).toEqual({
    firstName: "Renamed",
    lastName: "Person",
  });
});
