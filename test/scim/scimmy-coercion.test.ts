// keybridge coerces request bodies with a compiled copy of SCIMMY's rules (compiled-coercion.ts), falling
// back to SCIMMY's schema definitions, never through the `new SCIMMY.Schemas.User(...)` constructor
// (together most of a POST's CPU). This pins that both shortcuts accept, reject and shape every body
// exactly as the constructor does: every User and Group body in the per-IdP fixtures, the edge cases
// where they could part, and thousands of randomly mutated fixture bodies.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import SCIMMY from "scimmy";
import {
  coerceCompiled,
  compileDefinition,
  type DefinitionLike,
  NOT_SURE,
} from "../../src/scim/compiled-coercion";
import { normaliseHrDates } from "../../src/scim/hr-dates";
import { coerceGroup, coerceUser, prepareScimmy } from "../../src/scim/scimmy-port";
import {
  CORE_GROUP_URN,
  CORE_USER_URN,
  ENTERPRISE_USER_URN,
  KEYBRIDGE_USER_URN,
} from "../../src/store/directory-types";

type Json = Record<string, unknown>;

function bodiesIn(dir: string, into: Json[] = []): Json[] {
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === "object") {
      const schemas = (value as Json).schemas;
      if (Array.isArray(schemas) && (schemas.includes(CORE_USER_URN) || schemas.includes(CORE_GROUP_URN)))
        into.push(value as Json);
      Object.values(value).forEach(collect);
    }
  };
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) bodiesIn(path, into);
    else if (name.endsWith(".json")) collect(JSON.parse(readFileSync(path, "utf8")));
  }
  return into;
}

const stable = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(stable)
    : value && typeof value === "object"
      ? Object.fromEntries(
          Object.keys(value)
            .sort()
            .map((k) => [k, stable((value as Json)[k])]),
        )
      : value;

/** What the Schema constructor produces (minus meta and the never-returned password), or its error. */
const isGroupBody = (body: Json) => (body.schemas as string[]).includes(CORE_GROUP_URN);

function viaConstructor(body: Json, isGroup = isGroupBody(body)): unknown {
  try {
    const schema = isGroup ? new SCIMMY.Schemas.Group(body, "in") : new SCIMMY.Schemas.User(body, "in");
    const out = JSON.parse(JSON.stringify(schema)) as Json;
    delete out.meta;
    // keybridge's one deliberate addition to SCIMMY's rules: HR dates are validated and normalised
    // (src/scim/hr-dates.ts), since the schema types them as strings to keep date-only values.
    normaliseHrDates(out[KEYBRIDGE_USER_URN]);
    return stable(out);
  } catch {
    return "rejected";
  }
}

function viaKeybridge(body: Json, isGroup = isGroupBody(body)): unknown {
  try {
    const out = isGroup ? coerceGroup(body) : coerceUser(body);
    delete out.password;
    return stable(out);
  } catch (err) {
    expect((err as { status?: number }).status).toBe(400);
    return "rejected";
  }
}

const user = (extra: Json, schemas: string[] = []) => ({
  schemas: [CORE_USER_URN, ...schemas],
  userName: "edge@example.com",
  ...extra,
});

const EDGE_CASES: Json[] = [
  user({ [ENTERPRISE_USER_URN]: { manager: {} } }, [ENTERPRISE_USER_URN]),
  user({ [ENTERPRISE_USER_URN]: { manager: { value: null }, department: null } }, [ENTERPRISE_USER_URN]),
  user({ [ENTERPRISE_USER_URN]: { department: "Grid", manager: {} } }, [ENTERPRISE_USER_URN]),
  user({ [ENTERPRISE_USER_URN]: {} }, [ENTERPRISE_USER_URN]),
  user({ [KEYBRIDGE_USER_URN]: { site: "HAM-1", accessValidUntil: "2027-01-31T00:00:00Z" } }, [
    KEYBRIDGE_USER_URN,
  ]),
  user({ [KEYBRIDGE_USER_URN]: { accessValidFrom: "not a date" } }, [KEYBRIDGE_USER_URN]),
  user({ name: {}, emails: [{ value: "x@example.com", type: "Work" }, {}] }),
  user({ emails: { value: "not-a-list@example.com" } }),
  user({ active: "yes" }),
  user({ userName: 5 }),
  user({ userName: undefined }),
  user({ UserName: "MixedCase@example.com", DisplayName: "Mixed", unknownThing: 1 }),
  user({ password: "secret", groups: [{ value: "g1" }], id: "client-chosen" }),
  { schemas: [CORE_GROUP_URN], displayName: "Door group", externalId: "dg-1" },
  { schemas: [CORE_GROUP_URN], displayName: 7 },
  { schemas: [CORE_GROUP_URN] },
];

describe("SCIMMY coercion shortcut", () => {
  beforeAll(() => prepareScimmy());

  const fixtureBodies = bodiesIn(join(__dirname, "..", "fixtures", "scim"));

  it("finds the per-IdP fixture bodies to compare", () => {
    expect(fixtureBodies.length).toBeGreaterThan(50);
  });

  it.each([...fixtureBodies, ...EDGE_CASES].map((body, i) => [i, body] as const))(
    "body %i is accepted, rejected and shaped as the Schema constructor does",
    (_i, body) => {
      expect(viaKeybridge(structuredClone(body))).toEqual(viaConstructor(structuredClone(body)));
    },
  );

  it("takes the compiled path for the ordinary IdP bodies (so the comparisons above exercise it)", () => {
    const user = compileDefinition(SCIMMY.Schemas.User.definition as unknown as DefinitionLike);
    const users = fixtureBodies.filter((b) => (b.schemas as string[]).includes(CORE_USER_URN));
    const compiled = users.filter((b) => coerceCompiled(user, structuredClone(b)) !== NOT_SURE);
    expect(compiled.length).toBeGreaterThan(users.length * 0.8);
  });

  it("agrees with the Schema constructor on 4,000 mutated fixture bodies", () => {
    const random = seeded(20261126);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const user = compileDefinition(SCIMMY.Schemas.User.definition as unknown as DefinitionLike);
    const group = compileDefinition(SCIMMY.Schemas.Group.definition as unknown as DefinitionLike);
    let compiled = 0;
    const disagreements: unknown[] = [];
    for (let i = 0; i < 4_000; i++) {
      const original = structuredClone(pick(fixtureBodies));
      const isGroup = isGroupBody(original);
      const compiledSchema = isGroup ? group : user;
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--) mutate(original, pick, random);
      const body = JSON.parse(JSON.stringify(original)) as Json; // what arrives over HTTP
      if (coerceCompiled(compiledSchema, structuredClone(body)) !== NOT_SURE) compiled++;
      const expected = viaConstructor(structuredClone(body), isGroup);
      const actual = viaKeybridge(structuredClone(body), isGroup);
      if (JSON.stringify(actual) !== JSON.stringify(expected)) disagreements.push({ body, expected, actual });
    }
    expect(disagreements.slice(0, 3)).toEqual([]);
    expect(compiled).toBeGreaterThan(1_000);
  });
});

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const PATHS = [
  "userName",
  "UserName",
  "externalId",
  "displayName",
  "active",
  "Active",
  "title",
  "password",
  "id",
  "name",
  "name.givenName",
  "name.FamilyName",
  "emails",
  "emails.0",
  "emails.0.value",
  "emails.0.Primary",
  "emails.0.type",
  "phoneNumbers",
  "roles",
  "roles.0.value",
  "groups",
  "meta",
  "schemas",
  "schemas.1",
  "profileUrl",
  "x509Certificates",
  "locale",
  "members",
  "members.0",
  "members.0.value",
  `${ENTERPRISE_USER_URN}`,
  `${ENTERPRISE_USER_URN}.department`,
  `${ENTERPRISE_USER_URN}.manager`,
  `${ENTERPRISE_USER_URN}.manager.value`,
  `${ENTERPRISE_USER_URN}.manager.Value`,
  `${KEYBRIDGE_USER_URN}`,
  `${KEYBRIDGE_USER_URN}.accessValidUntil`,
  `${KEYBRIDGE_USER_URN}.site`,
  `${ENTERPRISE_USER_URN}:department`,
  "urn:example:other:ext",
] as const;

const VALUES: readonly unknown[] = [
  undefined,
  null,
  "text",
  "",
  "True",
  "false",
  true,
  false,
  0,
  7,
  1.5,
  [],
  {},
  [{}],
  ["a", "b"],
  { value: "v" },
  [{ value: "a@example.com", type: "work", primary: true }],
  [{ value: 5 }],
  [{ value: "x", primary: "yes" }],
  [null],
  "2026-11-26T10:00:00Z",
  "2026-11-26",
  "not a date",
  "+275760-09-13T00:00:00Z",
  "https://example.com/u/1",
  "urn:ietf:params:scim:schemas:core:2.0:User",
  [CORE_USER_URN, 5],
  { department: "Grid" },
  { manager: {} },
  { Site: "HAM" },
];

function mutate(body: Json, pick: <T>(list: readonly T[]) => T, random: () => number): void {
  const path = pick(PATHS);
  // Dotted paths walk into the body, except inside URN keys, whose own dots belong to the URN.
  const urn = path.startsWith("urn:") ? /^(urn:[^.]*(?:\.0)?:User)(?:\.(.*))?$/.exec(path) : null;
  const parts = urn ? [urn[1] as string, ...(urn[2] ? urn[2].split(".") : [])] : path.split(".");
  let holder: Record<string, unknown> = body;
  for (const part of parts.slice(0, -1)) {
    const next = holder[part];
    if (next === null || typeof next !== "object") {
      if (random() < 0.5) return;
      holder[part] = /^\d+$/.test(parts[parts.indexOf(part) + 1] ?? "") ? [] : {};
    }
    holder = holder[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1] as string;
  const value = structuredClone(pick(VALUES));
  if (value === undefined) delete holder[last];
  else holder[last] = value;
}
