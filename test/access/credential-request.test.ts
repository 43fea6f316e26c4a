// credentialRequest: the phone number or serial issuing needs comes from the configured SCIM attribute,
// and a person without it is "cannot issue" (needs attention) instead of a vendor call that must fail.
import { CREDENTIAL_UNAVAILABLE, credentialRequest } from "../../src/access/credential-request";
import { parseAttributePath } from "../../src/access/read-attribute-path";
import { configSchema } from "../../src/config/config-schema";
import type { StoredUser } from "../../src/store/directory-types";

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

function user(extra: Partial<StoredUser> = {}): StoredUser {
  return {
    schemas: [],
    id: "u1",
    userName: "ada@example.org",
    active: true,
    meta: { resourceType: "User", created: "", lastModified: "", version: 'W/"1"' },
    ...extra,
  };
}

/** The iLOQ driver needs the number (CanOrder 9) and the serial (CanOrder 14). */
const iloq = { phone: true, serial: true };

const phones = [
  { value: "+49 30 1111", type: "work", primary: true },
  { value: "+49 170 2222", type: "mobile" },
];

describe("credentialRequest", () => {
  it("takes the mobile number by default, not the primary work number", () => {
    expect(
      credentialRequest(user({ phoneNumbers: phones }), { kind: "phone" }, iloq, "ada@example.org"),
    ).toEqual({
      kind: "phone",
      phone: "+49 170 2222",
      email: "ada@example.org",
    });
  });

  it("matches the type case-insensitively (Okta sends 'Mobile')", () => {
    const u = user({ phoneNumbers: [{ value: "+1 555 0100", type: "Mobile" }] });
    expect(credentialRequest(u, { kind: "phone" }, iloq)).toEqual({ kind: "phone", phone: "+1 555 0100" });
  });

  it("a person with only a work number cannot be issued a phone key under the default", () => {
    const u = user({ phoneNumbers: [{ value: "+49 30 1111", type: "work" }] });
    expect(credentialRequest(u, { kind: "phone" }, iloq)).toEqual({
      cannotIssue: expect.objectContaining({ code: CREDENTIAL_UNAVAILABLE, missing: "phone" }),
    });
  });

  it("phoneAttribute without a filter takes the primary number, else the first", () => {
    const setting = { kind: "phone" as const, phoneAttribute: "phoneNumbers" };
    expect(credentialRequest(user({ phoneNumbers: phones }), setting, iloq)).toMatchObject({
      phone: "+49 30 1111",
    });
    const noPrimary = [
      { value: "+1", type: "home" },
      { value: "+2", type: "work" },
    ];
    expect(credentialRequest(user({ phoneNumbers: noPrimary }), setting, iloq)).toMatchObject({
      phone: "+1",
    });
  });

  it("reads a tag serial from an extension attribute named by its URN", () => {
    const setting = { kind: "tag" as const, serialAttribute: `${ENTERPRISE}:employeeNumber` };
    const u = user({ [ENTERPRISE]: { employeeNumber: "04A1B2C3" } });
    expect(credentialRequest(u, setting, iloq)).toEqual({ kind: "tag", serial: "04A1B2C3" });
    expect(credentialRequest(user(), setting, iloq)).toMatchObject({ cannotIssue: { missing: "serial" } });
  });

  it("a driver that needs no number (the simulator) still issues a phone key without one", () => {
    expect(credentialRequest(user(), { kind: "phone" }, {})).toEqual({ kind: "phone" });
  });

  it("issues nothing for kind none or no setting", () => {
    expect(credentialRequest(user({ phoneNumbers: phones }), { kind: "none" }, iloq)).toBeNull();
    expect(credentialRequest(user({ phoneNumbers: phones }), null, iloq)).toBeNull();
  });
});

describe("keySystems.<id>.credential in the config schema", () => {
  const parse = (credential: unknown) => configSchema.safeParse({ keySystems: { hq: { credential } } });

  it("defaults phoneAttribute to the mobile number", () => {
    const parsed = parse({ kind: "phone" });
    expect(parsed.success && parsed.data.keySystems.hq?.credential?.phoneAttribute).toBe(
      'phoneNumbers[type eq "mobile"]',
    );
  });

  it("takes a bare kind as short for { kind } (the form earlier versions took)", () => {
    const parsed = parse("physical");
    expect(parsed.success && parsed.data.keySystems.hq?.credential?.kind).toBe("physical");
    // Whether a serial attribute is needed depends on the driver (a key pool needs none): start-up decides.
    expect(parse({ kind: "tag" }).success).toBe(true);
  });

  it("refuses an attribute path the reader cannot follow", () => {
    expect(parse({ kind: "phone", phoneAttribute: 'phoneNumbers[value sw "+49"]' }).success).toBe(false);
    expect(parseAttributePath('phoneNumbers[type eq "mobile"]')).toEqual({
      attribute: "phoneNumbers",
      type: "mobile",
    });
  });
});
