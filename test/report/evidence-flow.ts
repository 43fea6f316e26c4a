// The demo flow the evidence report is tested on: keybridge as `keybridge start` runs it (src/runtime),
// an Entra tenant provisioning two people over SCIM into the simulated key system, one of them then
// disabled the Entra way ("False"), until that revocation is effective. Also runs the CLI commands.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { createAuditCommand } from "../../src/cli/audit-command";
import { createReportCommand } from "../../src/cli/report-command";
import type { Config } from "../../src/config/config-schema";
import { type E2eKeybridge, e2eConfig, startKeybridge } from "../e2e/e2e-processes";

const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const TENANT = "acme";

export interface FlowResult {
  since: Date;
  until: Date;
  ada: string;
  bob: string;
}

export function evidenceConfig(redisUrl: string): Config {
  return e2eConfig({
    redisUrl,
    mappingsDir: join(__dirname, "../../mappings"),
    tenants: [{ id: TENANT, displayName: "Acme", kind: "entra" }],
    keySystems: { demo: { options: { programmingDelayMs: 200, propagationDelayMs: 200 } } },
    reconcile: { backoffMs: 50, confirmAfterMs: 150 },
  });
}

export async function startEvidenceKeybridge(redisUrl: string): Promise<E2eKeybridge> {
  return startKeybridge(evidenceConfig(redisUrl), "start");
}

async function provision(scim: Awaited<ReturnType<E2eKeybridge["scim"]>>, userName: string): Promise<string> {
  const user = await scim("POST", "/Users", {
    schemas: [CORE_USER],
    userName,
    externalId: `entra-${userName.split("@")[0]}`,
    name: { givenName: userName, familyName: "Example" },
    active: true,
  });
  if (user.status !== 201) throw new Error(`create ${userName}: ${user.status}`);
  return String(user.body.id);
}

/** Entra: users first, then the group without members, then members added by PATCH (scim-clients.md §2.1). */
export async function runEvidenceFlow(kb: E2eKeybridge): Promise<FlowResult> {
  const since = new Date(Date.now() - 1_000);
  const scim = await kb.scim(TENANT);
  const ada = await provision(scim, "ada@example.org");
  const bob = await provision(scim, "bob@example.org");
  const group = await scim("POST", "/Groups", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    displayName: "Door Access Demo",
    externalId: "7f3c0c5e-entra-group",
  });
  const add = await scim("PATCH", `/Groups/${group.body.id}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: "Add", path: "members", value: [{ value: ada }, { value: bob }] }],
  });
  if (add.status !== 204) throw new Error(`add members: ${add.status}`);
  for (const id of [ada, bob])
    await kb.waitForLedger(TENANT, "demo", id, "demo-door", "grant", ["effective"]);
  const off = await scim("PATCH", `/Users/${ada}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: "Replace", path: "active", value: "False" }],
  });
  if (off.status !== 200) throw new Error(`disable: ${off.status}`);
  await kb.waitForLedger(TENANT, "demo", ada, "demo-door", "revoke", ["effective"]);
  // Let the confirm timers and the outbox mover settle, so the window holds the whole story.
  await new Promise((r) => setTimeout(r, 1_500));
  return { since, until: new Date(), ada, bob };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

/** Runs `keybridge report …` or `keybridge audit …` in process with the test's config. */
export async function runCli(command: "report" | "audit", config: Config, argv: string[]): Promise<CliRun> {
  const out = sink();
  const err = sink();
  const deps = {
    loadConfig: () => config,
    stdout: out.stream,
    stderr: err.stream,
    operator: () => "operator:auditor-test",
    clock: () => new Date(),
  };
  const cli = command === "report" ? createReportCommand(deps) : createAuditCommand(deps);
  const code = await cli.run(argv);
  return { code, stdout: out.text(), stderr: err.text() };
}

export const tempFile = (name: string) => join(mkdtempSync(join(tmpdir(), "kb-evidence-")), name);
