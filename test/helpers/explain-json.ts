// Runs the `keybridge access explain --json` command's function in-process against the directory at
// REDIS_URL, as a user would from a shell, and returns its parsed answer.
import { runAccessCommand } from "../../src/cli/access-command";
import type { PersonExplanation } from "../../src/mapping/explain-person";

export async function explainJson(
  tenant: string,
  user: string,
  mappings: string,
  now?: string,
): Promise<PersonExplanation> {
  const output = { out: "", err: "" };
  const io = {
    out: (t: string) => {
      output.out += t;
    },
    err: (t: string) => {
      output.err += t;
    },
  };
  const args = ["explain", "--tenant", tenant, "--user", user, "--json", "--mappings", mappings];
  const code = await runAccessCommand(now ? [...args, "--now", now] : args, io);
  if (code !== 0) throw new Error(`access explain exited ${code}: ${output.err}`);
  return JSON.parse(output.out) as PersonExplanation;
}
