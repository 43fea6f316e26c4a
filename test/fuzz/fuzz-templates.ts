// Turns every request of the IdP fixtures (test/fixtures/scim/{entra,okta,sailpoint}) into a request
// template the fuzzer mutates; saved-id placeholders become USER/GROUP markers filled at send time.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const FUZZ_IDPS = ["entra", "okta", "sailpoint"] as const;
export type FuzzIdp = (typeof FUZZ_IDPS)[number];

/** Markers the sender replaces with a pool person's id / the tenant's door group id. */
export const USER_MARK = "@@USER@@";
export const GROUP_MARK = "@@GROUP@@";
/** A leaver: only the `damage` mutation names one, so the fixtures' deletes cannot spare them the test. */
export const LEAVER_MARK = "@@LEAVER@@";

export interface RequestTemplate {
  /** `entra/member-add.json#2`: where the shape came from, for counterexamples. */
  origin: string;
  idp: FuzzIdp;
  method: string;
  /** Path below /scim/v2/{tenant}, query string included, markers in place of saved ids. */
  path: string;
  body?: unknown;
  headers: Record<string, string>;
}

interface FixtureRequest {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  saveAs?: string;
}

interface Fixture {
  setup?: FixtureRequest[];
  requests: FixtureRequest[];
  resource?: { path: string };
}

const ROOT = join(__dirname, "..", "fixtures", "scim");

/** Which placeholder names a fixture saves from a POST /Groups (groups) — every other one is a user. */
function groupNames(steps: FixtureRequest[]): Set<string> {
  const names = new Set<string>();
  for (const s of steps) if (s.saveAs && s.path.startsWith("/Groups")) names.add(s.saveAs);
  return names;
}

function mark(value: unknown, groups: Set<string>): unknown {
  const text = JSON.stringify(value ?? null).replace(/\{([a-zA-Z0-9]+)\}/g, (_m, name: string) =>
    groups.has(name) ? GROUP_MARK : USER_MARK,
  );
  return JSON.parse(text);
}

function templatesOf(idp: FuzzIdp, file: string): RequestTemplate[] {
  const fixture = JSON.parse(readFileSync(join(ROOT, idp, file), "utf8")) as Fixture;
  const steps = [
    ...(fixture.setup ?? []),
    ...fixture.requests,
    ...(fixture.resource ? [{ method: "GET", path: fixture.resource.path }] : []),
  ];
  const groups = groupNames(steps);
  return steps.map((s, i) => ({
    origin: `${idp}/${file}#${i + 1}`,
    idp,
    method: s.method,
    path: mark(s.path, groups) as string,
    ...(s.body === undefined ? {} : { body: mark(s.body, groups) }),
    headers: s.headers ?? {},
  }));
}

/** Every request of every fixture of the three IdPs, in a stable order (seeds stay reproducible). */
export function loadTemplates(): RequestTemplate[] {
  return FUZZ_IDPS.flatMap((idp) =>
    readdirSync(join(ROOT, idp))
      .filter((f) => f.endsWith(".json"))
      .sort()
      .flatMap((file) => templatesOf(idp, file)),
  );
}
