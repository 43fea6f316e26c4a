// ARCHITECTURE §1: mapping/ does no I/O except loading files, so evaluation stays pure and replayable.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = join(__dirname, "../../src/mapping");
const IO = /from "(node:)?(fs|net|http|https|child_process)"|from "ioredis"|from "bullmq"|process\.env/;

describe("src/mapping dependency rules", () => {
  it("only load-mappings.ts touches the file system; nothing reads env, Redis or the network", () => {
    const offenders = readdirSync(dir)
      .filter((f) => f.endsWith(".ts") && f !== "load-mappings.ts")
      .filter((f) => IO.test(readFileSync(join(dir, f), "utf8")));
    expect(offenders).toEqual([]);
  });
});
