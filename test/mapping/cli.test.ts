// The CLI shells: `mappings check|plan` and `access explain`, run in-process against files.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runAccessCommand } from "../../src/cli/access-command";
import { runMappingsCommand } from "../../src/cli/mappings-command";
import type { RedisClient } from "../../src/store/create-redis-client";
import { RedisDirectoryStore } from "../../src/store/directory-store";
import { CORE_GROUP_URN, CORE_USER_URN } from "../../src/store/directory-types";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";

const root = join(__dirname, "../..");
const examples = join(root, "mappings");
const persons = join(root, "test/fixtures/mapping/persons.json");
const NOW = "2026-06-15T08:00:00Z";

function capture() {
  const io = {
    stdout: "",
    stderr: "",
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
  };
  return io;
}

/** A copy of the example mappings with one edit applied to rules.yaml. */
function editedExamples(edit: (rules: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), "kb-cli-"));
  cpSync(examples, dir, { recursive: true });
  writeFileSync(join(dir, "rules.yaml"), edit(readFileSync(join(dir, "rules.yaml"), "utf8")));
  return dir;
}

describe("keybridge mappings", () => {
  const saved = process.env.KEYBRIDGE_MAPPINGS;
  beforeAll(() => {
    process.env.KEYBRIDGE_MAPPINGS = examples;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.KEYBRIDGE_MAPPINGS;
    else process.env.KEYBRIDGE_MAPPINGS = saved;
  });

  it("check passes the shipped example (default dir from config)", async () => {
    const io = capture();
    expect(await runMappingsCommand(["check"], io)).toBe(0);
    expect(io.stdout).toMatch(/ok — 3 key system\(s\), 7 profile\(s\), 7 rule\(s\)/);
  });

  it("check exits 1 and prints each problem with file and line", async () => {
    const dir = editedExamples((r) => r.replace("grants: [substation-access]", "grants: [substation-acess]"));
    const io = capture();
    expect(await runMappingsCommand(["check", dir], io)).toBe(1);
    expect(io.stderr).toBe(
      `error: ${join(dir, "rules.yaml")}:38: Rule/substation-technicians.grants[0]: unknown profile "substation-acess" (did you mean "substation-access"?)\n`,
    );
  });

  it("check warns about group references missing from the tenant's directory", async () => {
    const io = capture();
    const args = ["check", examples, "--tenant", "nordwerk-entra", "--persons", persons];
    expect(await runMappingsCommand(args, io)).toBe(0);
    expect(io.stderr).toMatch(/^warning: .*rules\.yaml:\d+: Rule\/door-access-demo\.match\.group: no group/);
  });

  it("plan prints who loses which profile when a rule is removed", async () => {
    const dir = editedExamples((r) =>
      r.replace("    - department: Grid Operations", "    - department: Grid Ops"),
    );
    const io = capture();
    const args = ["plan", dir, "--tenant", "nordwerk-entra", "--persons", persons, "--now", NOW, "--json"];
    expect(await runMappingsCommand(args, io)).toBe(0);
    const plan = JSON.parse(io.stdout);
    expect(plan.losses).toEqual([
      {
        tenant: "nordwerk-entra",
        personId: "u-001",
        userName: "anna.schmidt@nordwerk.example",
        system: "main-iloq",
        profile: "control-room",
      },
    ]);
    // hq-general stays: staff-headquarters still justifies it, only its reasons shrink.
    expect(plan.gains).toEqual([]);
  });
});

describe("keybridge mappings plan and access explain over the Redis directory", () => {
  let redis: TestRedis;
  let client: RedisClient;
  const saved = { url: process.env.REDIS_URL, mappings: process.env.KEYBRIDGE_MAPPINGS };
  beforeAll(async () => {
    redis = await startTestRedis();
    client = redis.client();
    process.env.REDIS_URL = redis.url;
    process.env.KEYBRIDGE_MAPPINGS = examples;
    const store = new RedisDirectoryStore({ redis: client });
    const ctx = { correlationId: "seed" };
    const ada = await store.createUser(
      "demo",
      { schemas: [CORE_USER_URN], userName: "ada@example.org", active: true },
      ctx,
    );
    await store.createGroup(
      "demo",
      { schemas: [CORE_GROUP_URN], displayName: "Door Access Demo" },
      [ada.resource.id],
      ctx,
    );
  });
  afterAll(async () => {
    process.env.REDIS_URL = saved.url;
    process.env.KEYBRIDGE_MAPPINGS = saved.mappings;
    await redis.stop();
  });

  it("plan reads every person from the directory and names who would lose a profile", async () => {
    const withoutDemoRule = editedExamples((rules) =>
      rules.replace(
        /---\napiVersion: keybridge.io\/v1\nkind: Rule\nname: door-access-demo[\s\S]*?grants: \[demo-door\]\n/,
        "",
      ),
    );
    const io = capture();
    expect(await runMappingsCommand(["plan", withoutDemoRule, "--tenant", "demo", "--json"], io)).toBe(0);
    const plan = JSON.parse(io.stdout);
    expect(plan.losses).toEqual([expect.objectContaining({ system: "demo", profile: "demo-door" })]);
    expect(plan.gains).toEqual([]);
  });

  it("explain finds the person by userName in the directory", async () => {
    const io = capture();
    expect(await runAccessCommand(["explain", "--tenant", "demo", "--user", "ada@example.org"], io)).toBe(0);
    expect(io.stdout).toMatch(/demo \/ demo-door/);
    expect(io.stdout).toMatch(/door-access-demo/);
  });
});

describe("keybridge access explain", () => {
  it("prints the grants with rules and values, and the near misses", async () => {
    const io = capture();
    const args = ["explain", "--tenant", "nordwerk-entra", "--user", "jonas.weber@nordwerk.example"];
    const code = await runAccessCommand(
      [...args, "--persons", persons, "--mappings", examples, "--now", NOW],
      io,
    );
    expect(code).toBe(0);
    expect(io.stdout).toContain("main-iloq / hq-general");
    expect(io.stdout).toContain("because rule staff-headquarters");
    expect(io.stdout).toMatch(
      /rule control-room-operators .*\n\s+✗ department = "Grid Operations"\s+seen: "IT"/,
    );
  });

  it("exits 1 for an unknown user", async () => {
    const io = capture();
    const args = [
      "explain",
      "--tenant",
      "nordwerk-entra",
      "--user",
      "nobody",
      "--persons",
      persons,
      "--mappings",
      examples,
    ];
    expect(await runAccessCommand(args, io)).toBe(1);
  });
});
