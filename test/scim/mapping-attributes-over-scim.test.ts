// Every attribute a mapping rule can test (the catalogue in src/mapping/mapping-schema.ts) is provisionable
// over SCIM in each IdP's dialect (scim-clients.md §2.1–2.3), advertised in /Schemas, and reaches
// `access explain`: adding a catalogue attribute the SCIM edge drops makes this test fail.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONDITION_ATTRIBUTES, type ConditionAttribute } from "../../src/mapping/mapping-schema";
import { ENTERPRISE_USER_URN, KEYBRIDGE_USER_URN } from "../../src/store/directory-types";
import { explainJson } from "../helpers/explain-json";
import { startScimHarness, type ScimHarness, type TenantId } from "./scim-harness";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
type Json = Record<string, unknown>;

const ATTRIBUTES = Object.keys(CONDITION_ATTRIBUTES) as ConditionAttribute[];
const URN = { enterprise: ENTERPRISE_USER_URN, keybridge: KEYBRIDGE_USER_URN } as const;

/** A value an IdP would send for the attribute, per scenario so a later update really changes it. */
function sentValue(attribute: ConditionAttribute, tag: string): string | boolean {
  switch (attribute) {
    case "active":
      return true;
    case "accessValidFrom":
      return "2026-01-15"; // date-only HR dates are kept as sent (read in the key system's zone)
    case "accessValidUntil":
      return "2099-06-30";
    case "site":
      return `hq-${tag},waterworks`;
    case "locale":
      return "de-DE";
    case "timezone":
      return "Europe/Berlin";
    default:
      return `${attribute}-${tag}`;
  }
}

/** What `explain` shows as seen for the attribute's `present`/`true` test. */
function seenValue(attribute: ConditionAttribute, tag: string): string[] {
  const value = sentValue(attribute, tag);
  if (attribute === "site") return String(value).split(",");
  return [String(value)];
}

/** The attributes as one SCIM User body fragment (extension objects, multi-valued lists). */
function fullBody(tag: string): Json {
  const body: Json = {
    [ENTERPRISE_USER_URN]: { manager: { value: `manager-${tag}` } },
    [KEYBRIDGE_USER_URN]: {},
  };
  for (const attribute of ATTRIBUTES) {
    const where = CONDITION_ATTRIBUTES[attribute];
    const value = sentValue(attribute, tag);
    if (where === "roles[].value") body.roles = [{ value, type: "WindowsAzureActiveDirectoryRole" }];
    else if (where === "entitlements[].value") body.entitlements = [{ value }];
    else if (where === "core") body[attribute] = value;
    else if (where === "enterprise" || where === "keybridge") (body[URN[where]] as Json)[attribute] = value;
    else throw new Error(`catalogue location ${String(where)} has no SCIM shape in this test`);
  }
  return body;
}

/** One PATCH operation per attribute, with the given `op` spelling and URN-qualified extension paths. */
function pathOperations(tag: string, op: string, rolesAsJsonString: boolean): Json[] {
  const body = fullBody(tag);
  const ops: Json[] = [];
  for (const attribute of ATTRIBUTES) {
    const where = CONDITION_ATTRIBUTES[attribute];
    const value = sentValue(attribute, tag);
    if (where === "roles[].value") {
      // Entra sends each app role's value as a JSON string (scim-clients.md §2.1 Roles).
      const role = rolesAsJsonString ? JSON.stringify({ id: "assign-1", value, displayName: "R" }) : value;
      ops.push({ op, path: "roles", value: [{ primary: "false", value: role }] });
    } else if (where === "entitlements[].value") ops.push({ op, path: "entitlements", value: [{ value }] });
    else if (where === "core") ops.push({ op, path: attribute, value });
    else ops.push({ op, path: `${URN[where]}:${attribute}`, value });
  }
  ops.push({
    op,
    path: `${ENTERPRISE_USER_URN}:manager`,
    value: (body[ENTERPRISE_USER_URN] as Json).manager,
  });
  return ops;
}

/** aadOptscim062020: one `replace` without path, dotted and URN-qualified keys (scim-clients.md §2.1 (3)). */
function flagOperations(tag: string): Json[] {
  const value: Json = {};
  const ops: Json[] = [{ op: "replace", value }];
  for (const attribute of ATTRIBUTES) {
    const where = CONDITION_ATTRIBUTES[attribute];
    const v = sentValue(attribute, tag);
    if (where === "core") value[attribute] = v;
    else if (where === "enterprise" || where === "keybridge") value[`${URN[where]}:${attribute}`] = v;
  }
  value[`${ENTERPRISE_USER_URN}:manager`] = `manager-${tag}`;
  ops.push({ op: "add", path: "roles", value: [{ value: sentValue("role", tag) }] });
  ops.push({ op: "add", path: "entitlements", value: [{ value: sentValue("entitlement", tag) }] });
  return ops;
}

const base = (userName: string): Json => ({
  schemas: [CORE, ENTERPRISE_USER_URN, KEYBRIDGE_USER_URN],
  userName,
  externalId: userName,
  name: { givenName: "Ada", familyName: "Lovelace" },
  emails: [{ value: userName, type: "work", primary: true }],
  active: true,
});

interface Scenario {
  tenant: TenantId;
  name: string;
  /** Provisions the user with every attribute; returns its id. */
  provision(h: ScimHarness, userName: string, tag: string): Promise<string>;
}

async function create(h: ScimHarness, tenant: TenantId, body: Json): Promise<string> {
  const res = await h.call(tenant, "POST", "/Users", body);
  expect(res.status).toBe(201);
  return String(res.body.id);
}

async function expectOk(promise: Promise<{ status: number; body: Json }>): Promise<void> {
  const res = await promise;
  if (res.status >= 300) throw new Error(`update answered ${res.status}: ${JSON.stringify(res.body)}`);
}

const SCENARIOS: Scenario[] = [
  {
    tenant: "entra",
    name: "Entra POST",
    provision: (h, u, tag) => create(h, "entra", { ...base(u), ...fullBody(tag) }),
  },
  {
    tenant: "entra",
    name: "Entra PATCH (Replace with paths, 2017 shapes)",
    async provision(h, u, tag) {
      const id = await create(h, "entra", base(u));
      const Operations = pathOperations(tag, "Replace", true);
      await expectOk(h.call("entra", "PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations }));
      return id;
    },
  },
  {
    tenant: "entra",
    name: "Entra PATCH ?aadOptscim062020 (pathless replace, URN-qualified keys)",
    async provision(h, u, tag) {
      const id = await create(h, "entra", base(u));
      const Operations = flagOperations(tag);
      const path = `/Users/${id}?aadOptscim062020`;
      await expectOk(h.call("entra", "PATCH", path, { schemas: [PATCH_OP], Operations }));
      return id;
    },
  },
  {
    tenant: "okta",
    name: "Okta POST",
    provision: (h, u, tag) => create(h, "okta", { ...base(u), ...fullBody(tag) }),
  },
  {
    tenant: "okta",
    name: "Okta PUT (whole user)",
    async provision(h, u, tag) {
      const id = await create(h, "okta", { ...base(u), ...fullBody("stale") });
      await expectOk(h.call("okta", "PUT", `/Users/${id}`, { ...base(u), id, ...fullBody(tag) }));
      return id;
    },
  },
  {
    tenant: "sailpoint",
    name: "SailPoint POST",
    provision: (h, u, tag) => create(h, "sailpoint", { ...base(u), ...fullBody(tag) }),
  },
  {
    tenant: "sailpoint",
    name: "SailPoint PATCH (add with paths)",
    async provision(h, u, tag) {
      const id = await create(h, "sailpoint", base(u));
      const Operations = pathOperations(tag, "add", false);
      await expectOk(h.call("sailpoint", "PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations }));
      return id;
    },
  },
  {
    tenant: "sailpoint",
    name: "SailPoint PUT (usePatch off)",
    async provision(h, u, tag) {
      const id = await create(h, "sailpoint", base(u));
      await expectOk(h.call("sailpoint", "PUT", `/Users/${id}`, { ...base(u), ...fullBody(tag) }));
      return id;
    },
  },
];

/** One memory key system, one profile, and one `present`-style rule per catalogue attribute. */
function writeMappings(): string {
  const dir = mkdtempSync(join(tmpdir(), "kb-attrs-"));
  const header = "apiVersion: keybridge.io/v1\n";
  writeFileSync(join(dir, "key-systems.yaml"), `${header}kind: KeySystem\nid: door\ndriver: memory\n`);
  writeFileSync(
    join(dir, "profiles.yaml"),
    `${header}kind: Profile\nname: p\nkeySystems:\n  door:\n    vendorRefs: [d1]\n`,
  );
  const rules = ATTRIBUTES.map((attribute) => {
    const test = attribute === "active" ? "true" : "{ present: true }";
    return `${header}kind: Rule\nname: attr-${attribute.toLowerCase()}\nmatch:\n  ${attribute}: ${test}\ngrants: [p]\n`;
  });
  writeFileSync(join(dir, "rules.yaml"), rules.join("---\n"));
  return dir;
}

describe("every mapping attribute over SCIM", () => {
  let h: ScimHarness;
  let mappings: string;
  const savedRedis = process.env.REDIS_URL;
  beforeAll(async () => {
    h = await startScimHarness();
    process.env.REDIS_URL = h.redis.url;
    mappings = writeMappings();
  });
  afterAll(async () => {
    if (savedRedis === undefined) delete process.env.REDIS_URL;
    else process.env.REDIS_URL = savedRedis;
    await h.stop();
  });

  it("/Schemas advertises every catalogue attribute in the extension it lives in", async () => {
    const res = await h.call("entra", "GET", "/Schemas");
    const schemas = res.body.Resources as Array<{ id: string; attributes: Array<{ name: string }> }>;
    const names = (id: string) => schemas.find((s) => s.id === id)?.attributes.map((a) => a.name) ?? [];
    const missing = ATTRIBUTES.filter((attribute) => {
      const where = CONDITION_ATTRIBUTES[attribute];
      if (where === "enterprise" || where === "keybridge") return !names(URN[where]).includes(attribute);
      if (where === "core") return !names(CORE).includes(attribute);
      return !names(CORE).includes(where.split("[")[0] as string);
    });
    expect(missing).toEqual([]);
    expect(names(ENTERPRISE_USER_URN)).toEqual(
      expect.arrayContaining([
        "employeeNumber",
        "costCenter",
        "organization",
        "division",
        "department",
        "manager",
        "employeeType",
      ]),
    );
  });

  it.each(SCENARIOS.map((s, i) => [s.name, s, i] as const))(
    "%s: stored, read back and explained",
    async (_, scenario, i) => {
      const tag = `s${i}`;
      const userName = `attrs-${i}@example.org`;
      const id = await scenario.provision(h, userName, tag);

      const read = (await h.call(scenario.tenant, "GET", `/Users/${id}`)).body;
      const stored = fullBody(tag);
      for (const urn of [ENTERPRISE_USER_URN, KEYBRIDGE_USER_URN])
        expect({ urn, value: read[urn] }).toEqual({
          urn,
          value: expect.objectContaining(stored[urn] as Json),
        });

      const explained = await explainJson(scenario.tenant, userName, mappings);
      const reasons = explained.grants[0]?.reasons ?? [];
      const seen = Object.fromEntries(reasons.map((r) => [r.rule, r.evidence[0]?.seen]));
      const expected = Object.fromEntries(
        ATTRIBUTES.map((a) => [`attr-${a.toLowerCase()}`, seenValue(a, tag)]),
      );
      expect(seen).toEqual(expected);
    },
  );
});
