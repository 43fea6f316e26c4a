// `keybridge access status`: per key system, desired and held grants with state and rules, as text
// and JSON, read from the real ledger the pipeline wrote.
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { runAccessStatus } from "../../src/cli/access-status";
import { configSchema } from "../../src/config/config-schema";
import type { AccessStatus } from "../../src/reconcile/read-access-status";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type Harness, heldRefs, MAPPINGS_DIR, startHarness, TENANT, waitFor } from "./pipeline-harness";

let redis: TestRedis;
let h: Harness;

beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await h?.close();
  await redis.stop();
});

async function status(
  args: string[],
  mappingsDir = MAPPINGS_DIR,
): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = "";
  let err = "";
  stdout.on("data", (c) => (out += c));
  stderr.on("data", (c) => (err += c));
  const config = Object.freeze(configSchema.parse({ redisUrl: redis.url, mappingsDir }));
  const code = await runAccessStatus(args, { loadConfig: () => config, stdout, stderr });
  return { code, out, err };
}

it("shows desired and held grants with state and rules, then the revocation", async () => {
  h = await startHarness(redis);
  const id = await h.createUser("jo");
  await h.createGroup("Staff", [id]);
  await waitFor(
    async () =>
      (await heldRefs(h, "lockhall", id)).length === 1 &&
      (await h.ledger.read(TENANT, "lockhall", id)).entries[0]?.state === "effective",
  );

  const text = await status(["--tenant", TENANT, "--user", "jo"]);
  expect(text.code).toBe(0);
  expect(text.out).toContain("key system lockhall");
  expect(text.out).toContain("office: desired, grant effective");
  expect(text.out).toContain("rules: staff-office");

  await h.setActive(id, false);
  await waitFor(async () => {
    const e = (await h.ledger.read(TENANT, "lockhall", id)).entries[0];
    return e?.action === "revoke" && e.state === "effective";
  });
  const json = await status(["--tenant", TENANT, "--user", id, "--json"]);
  const parsed = JSON.parse(json.out) as AccessStatus;
  expect(parsed.active).toBe(false);
  const lockhall = parsed.systems.find((s) => s.system === "lockhall");
  expect(lockhall?.grants).toEqual([
    expect.objectContaining({
      profile: "office",
      desired: false,
      action: "revoke",
      state: "effective",
      rules: ["staff-office"],
      vendorRefs: ["profile-1"],
    }),
  ]);
  expect(parsed.systems.find((s) => s.system === "yard")?.grants).toEqual([]);
});

it("exits 2 with usage when arguments are missing, 1 for an unknown user", async () => {
  expect((await status(["--tenant", TENANT])).code).toBe(2);
  const unknown = await status(["--tenant", TENANT, "--user", "nobody"]);
  expect(unknown.code).toBe(1);
  expect(unknown.err).toContain("no user nobody");
});

it("says a key system without connection settings is not configured rather than never reconciled", async () => {
  h ??= await startHarness(redis);
  await h.createUser("vendor-only");
  // The shipped mappings declare iLOQ and CLIQ systems; this config gives neither connection settings.
  const text = await status(
    ["--tenant", TENANT, "--user", "vendor-only"],
    join(__dirname, "..", "..", "mappings"),
  );
  expect(text.code).toBe(0);
  expect(text.out).toContain(
    "key system main-iloq (not configured: no keySystems.main-iloq settings; changes wait until it is configured)",
  );
  expect(text.out).toContain("key system demo (never reconciled)");
});
