// keybridge coerces request bodies through SCIMMY's schema definitions directly rather than through the
// `new SCIMMY.Schemas.User(...)` constructor (half the CPU of a POST). This pins that the shortcut
// accepts, rejects and shapes every body exactly as the constructor does: every User and Group body in
// the per-IdP fixtures, plus the edge cases where the two paths could part (empty extensions, bad types).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import SCIMMY from "scimmy";
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
function viaConstructor(body: Json): unknown {
  const isGroup = (body.schemas as string[]).includes(CORE_GROUP_URN);
  try {
    const schema = isGroup ? new SCIMMY.Schemas.Group(body, "in") : new SCIMMY.Schemas.User(body, "in");
    const out = JSON.parse(JSON.stringify(schema)) as Json;
    delete out.meta;
    return stable(out);
  } catch {
    return "rejected";
  }
}

function viaKeybridge(body: Json): unknown {
  const isGroup = (body.schemas as string[]).includes(CORE_GROUP_URN);
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
});
