// A date-only HR date sent over SCIM keeps its meaning: accessValidFrom starts at local midnight and
// accessValidUntil ends at the end of that local day in the key system's time zone (mappings/README.md
// "HR dates", specs/idp-signals.md §4.3) — not at 00:00 UTC, which would cut a Berlin contractor's last
// day short by 22 hours.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CORE_USER_URN, KEYBRIDGE_USER_URN } from "../../src/store/directory-types";
import { explainJson } from "../helpers/explain-json";
import { startScimHarness, type ScimHarness } from "./scim-harness";

const NOW = "2027-01-01T00:00:00Z";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

function writeMappings(timeZone: string): string {
  const dir = mkdtempSync(join(tmpdir(), "kb-hr-"));
  const v = "apiVersion: keybridge.io/v1\n";
  writeFileSync(
    join(dir, "k.yaml"),
    `${v}kind: KeySystem\nid: door\ndriver: memory\ntimeZone: ${timeZone}\n`,
  );
  writeFileSync(
    join(dir, "p.yaml"),
    `${v}kind: Profile\nname: p\nkeySystems:\n  door:\n    vendorRefs: [d1]\n`,
  );
  writeFileSync(
    join(dir, "r.yaml"),
    `${v}kind: Rule\nname: r\nmatch:\n  accessValidUntil: { present: true }\ngrants: [p]\n`,
  );
  return dir;
}

describe("date-only HR dates over SCIM", () => {
  let h: ScimHarness;
  const savedRedis = process.env.REDIS_URL;
  beforeAll(async () => {
    h = await startScimHarness();
    process.env.REDIS_URL = h.redis.url;
  });
  afterAll(async () => {
    if (savedRedis === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = savedRedis;
    await h.stop();
  });

  it("a POSTed 2027-06-30 ends access at the end of that day in Europe/Berlin, and starts at its local midnight", async () => {
    const res = await h.call("sailpoint", "POST", "/Users", {
      schemas: [CORE_USER_URN, KEYBRIDGE_USER_URN],
      userName: "contractor@example.org",
      active: true,
      [KEYBRIDGE_USER_URN]: { accessValidFrom: "2027-01-15", accessValidUntil: "2027-06-30" },
    });
    expect(res.status).toBe(201);
    expect(res.body[KEYBRIDGE_USER_URN]).toEqual({
      accessValidFrom: "2027-01-15",
      accessValidUntil: "2027-06-30",
    });
    const grant = (
      await explainJson("sailpoint", "contractor@example.org", writeMappings("Europe/Berlin"), NOW)
    ).grants[0];
    expect({ notBefore: grant?.notBefore, notAfter: grant?.notAfter }).toEqual({
      notBefore: "2027-01-14T23:00:00.000Z", // CET, UTC+1
      notAfter: "2027-06-30T22:00:00.000Z", // end of 30 June in CEST, UTC+2
    });
  });

  it("the same through Entra's PATCH, read in the key system's zone (America/New_York)", async () => {
    const created = await h.call("entra", "POST", "/Users", {
      schemas: [CORE_USER_URN],
      userName: "ny@example.org",
      active: true,
    });
    const op = { op: "Add", path: `${KEYBRIDGE_USER_URN}:accessValidUntil`, value: "2027-06-30" };
    const patched = await h.call("entra", "PATCH", `/Users/${created.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [op],
    });
    expect(patched.status).toBe(200);
    const grant = (await explainJson("entra", "ny@example.org", writeMappings("America/New_York"), NOW))
      .grants[0];
    expect(grant?.notAfter).toBe("2027-07-01T04:00:00.000Z"); // end of 30 June in EDT, UTC-4
  });

  it("an instant stays an instant, and a date that does not exist is 400 invalidValue", async () => {
    const post = (userName: string, accessValidUntil: string) =>
      h.call("okta", "POST", "/Users", {
        schemas: [CORE_USER_URN, KEYBRIDGE_USER_URN],
        userName,
        [KEYBRIDGE_USER_URN]: { accessValidUntil },
      });
    const instant = await post("i@example.org", "2027-06-30T12:00:00+02:00");
    expect(instant.body[KEYBRIDGE_USER_URN]).toEqual({ accessValidUntil: "2027-06-30T10:00:00.000Z" });
    const zoneless = await post("z@example.org", "2027-06-30T12:00:00");
    expect(zoneless.body[KEYBRIDGE_USER_URN]).toEqual({ accessValidUntil: "2027-06-30T12:00:00.000Z" });
    for (const bad of ["2027-02-30", "end of June", "2027-6-30", "30.06.2027"]) {
      const res = await post(`bad-${bad.replace(/\W/g, "")}@example.org`, bad);
      expect({ bad, status: res.status, scimType: res.body.scimType }).toEqual({
        bad,
        status: 400,
        scimType: "invalidValue",
      });
    }
  });
});
