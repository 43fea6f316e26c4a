// Every request shape of scim-clients.md §2 and §5, kept as JSON fixtures per IdP, replayed over HTTP
// against buildApp() + the Redis store; each states the expected status and resulting resource.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { startScimHarness, type ScimHarness, type TenantId } from "./scim-harness";
import { subsetMismatch } from "./match-subset";

interface FixtureRequest {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  status?: number;
  response?: unknown;
  saveAs?: string;
}

interface Fixture {
  description: string;
  source: string;
  setup?: FixtureRequest[];
  requests: FixtureRequest[];
  resource?: { path: string; expect: unknown };
}

const ROOT = join(__dirname, "..", "fixtures", "scim");
const IDPS: TenantId[] = ["entra", "okta", "sailpoint"];

const cases = IDPS.flatMap((idp) =>
  readdirSync(join(ROOT, idp))
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file): [string, TenantId, Fixture] => [
      `${idp}/${file}`,
      idp,
      JSON.parse(readFileSync(join(ROOT, idp, file), "utf8")) as Fixture,
    ]),
);

/** Replaces {name} placeholders with ids saved by earlier requests (in paths and bodies alike). */
function fill(value: unknown, saved: Map<string, string>): unknown {
  const text = JSON.stringify(value ?? null).replace(
    /\{([a-zA-Z0-9]+)\}/g,
    (m, name: string) => saved.get(name) ?? m,
  );
  return JSON.parse(text);
}

let harness: ScimHarness;
beforeAll(async () => {
  harness = await startScimHarness({ maxPageSize: 50 });
});
afterAll(async () => harness.stop());
beforeEach(async () => harness.reset());

test("there is a fixture for every IdP", () => {
  for (const idp of IDPS) expect(cases.filter((c) => c[1] === idp).length).toBeGreaterThan(5);
});

describe.each(cases)("%s", (_name, tenant, fixture) => {
  test(fixture.description, async () => {
    const saved = new Map<string, string>();
    const run = async (req: FixtureRequest, step: string) => {
      const path = fill(req.path, saved) as string;
      const body = req.body === undefined ? undefined : fill(req.body, saved);
      const res = await harness.call(tenant, req.method, path, body, req.headers);
      const context = `${step} ${req.method} ${path} → ${res.status} ${JSON.stringify(res.body)}`;
      if (req.status !== undefined)
        expect({ context, status: res.status }).toEqual({ context, status: req.status });
      else expect({ context, ok: res.status < 300 }).toEqual({ context, ok: true });
      if (req.response !== undefined)
        expect({ context, miss: subsetMismatch(fill(res.body, saved), fill(req.response, saved)) }).toEqual({
          context,
          miss: undefined,
        });
      if (req.saveAs) saved.set(req.saveAs, String(res.body.id));
      return res;
    };
    for (const [i, req] of (fixture.setup ?? []).entries()) await run(req, `setup ${i + 1}`);
    for (const [i, req] of fixture.requests.entries()) await run(req, `request ${i + 1}`);
    if (fixture.resource) {
      await run(
        { method: "GET", path: fixture.resource.path, status: 200, response: fixture.resource.expect },
        "resource",
      );
    }
  });
});
