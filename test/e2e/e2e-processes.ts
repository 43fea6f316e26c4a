// Starts keybridge for an end-to-end test exactly as the CLI does, through src/runtime: either as
// `keybridge start` (API and workers on one core) or as `keybridge serve` + `keybridge worker` (two
// cores, two sets of connections, one Redis). Gives the test an IdP-side SCIM client per tenant.
import type { Config } from "../../src/config/config-schema";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify as stringifyYaml } from "yaml";
import { loadConfig } from "../../src/config/load-config";
import type { KeySystemDriver } from "../../src/drivers/key-system-driver";
import { silentLogger } from "../../src/log/logger";
import type { LedgerEntry } from "../../src/reconcile/ledger-entry";
import type { Core } from "../../src/runtime/build-core";
import { type RunningProcesses, startProcesses } from "../../src/runtime/start-processes";
import { TenantTokens } from "../../src/scim/tenant-tokens";

export type ProcessLayout = "start" | "serve+worker";
export const LAYOUTS: ProcessLayout[] = ["start", "serve+worker"];

export interface ScimAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface E2eKeybridge {
  config: Config;
  /** The API's port (SCIM and the /hooks receivers). */
  port: number;
  /** The core that runs the workers (the ledger and audit are read from it). */
  core: Core;
  /** The driver the workers use for a key system. */
  driver(system: string): KeySystemDriver;
  /** An IdP's SCIM client for one tenant (a token is created for it, as `keybridge tokens create` does). */
  scim(tenant: string): Promise<(method: string, path: string, body?: unknown) => Promise<ScimAnswer>>;
  /** Polls the ledger until a person's grant of `profile` in `system` reaches `action`/`states`. */
  waitForLedger(
    tenant: string,
    system: string,
    personId: string,
    profile: string,
    action: "grant" | "revoke",
    states: string[],
    timeoutMs?: number,
  ): Promise<LedgerEntry[]>;
  close(): Promise<void>;
}

/**
 * The config as a user provides it: `raw` written to a YAML file named by KEYBRIDGE_CONFIG, secrets in
 * KEYBRIDGE_SECRET_<NAME> variables, read by loadConfig — always on loopback and a free port.
 */
export function e2eConfig(raw: Record<string, unknown>, secrets: Record<string, string> = {}): Config {
  const file = join(mkdtempSync(join(tmpdir(), "kb-e2e-config-")), "keybridge.yaml");
  writeFileSync(file, stringifyYaml({ port: 0, host: "127.0.0.1", logLevel: "silent", ...raw }));
  const env: Record<string, string> = { KEYBRIDGE_CONFIG: file };
  for (const [name, value] of Object.entries(secrets)) env[`KEYBRIDGE_SECRET_${name}`] = value;
  return loadConfig(env);
}

export async function startKeybridge(config: Config, layout: ProcessLayout): Promise<E2eKeybridge> {
  const logger = silentLogger();
  const parts: RunningProcesses[] = [];
  let api: RunningProcesses;
  let workers: RunningProcesses;
  try {
    if (layout === "start") {
      api = await startProcesses(config, { api: true, workers: true }, { logger });
      workers = api;
      parts.push(api);
    } else {
      workers = await startProcesses(config, { api: false, workers: true }, { logger });
      parts.push(workers);
      api = await startProcesses(config, { api: true, workers: false }, { logger });
      parts.push(api);
    }
  } catch (err) {
    for (const p of parts.reverse()) await p.close();
    throw err;
  }
  const base = `http://127.0.0.1:${api.port}/scim/v2`;
  const core = workers.core;
  return {
    config,
    port: api.port ?? 0,
    core,
    driver(system) {
      const driver = workers.drivers?.drivers.get(system);
      if (!driver) throw new Error(`no driver for ${system}`);
      return driver;
    },
    async scim(tenant) {
      const token = await new TenantTokens({ redis: api.core.redis }).create(tenant);
      return async (method, path, body) => {
        const res = await fetch(`${base}/${tenant}${path}`, {
          method,
          headers: { authorization: `Bearer ${token.secret}`, "content-type": "application/scim+json" },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
      };
    },
    async waitForLedger(tenant, system, personId, profile, action, states, timeoutMs = 20_000) {
      const seen: LedgerEntry[] = [];
      let holderError: unknown;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const ledger = await core.ledger.read(tenant, system, personId);
        const entry = ledger.entries.find((e) => e.profile === profile);
        holderError = ledger.holder.lastError?.message ?? holderError;
        if (entry && (seen.at(-1)?.state !== entry.state || seen.at(-1)?.action !== entry.action))
          seen.push(entry);
        if (entry?.action === action && states.includes(entry.state)) return seen;
        // A permanent refusal or an operator task stays put until someone acts: no need to wait it out.
        const refused = entry?.action === action && ["failed", "manual_action"].includes(entry.state);
        if (refused || Date.now() > deadline)
          throw new Error(
            `${system}/${profile} never reached ${action}/${states.join("|")}; saw ${JSON.stringify(
              seen.map((e) => [e.action, e.state, e.lastError?.message]),
            )}; holder error: ${String(holderError)}`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      for (const p of parts.reverse()) await p.close();
    },
  };
}
