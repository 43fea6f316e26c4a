// Runs a SailPoint ISC trigger sender stand-alone (`keybridge simulate sailpoint [--port N]`) for demos:
// ISC pushes its event triggers to keybridge, so the simulator is a small control plane that, asked over
// HTTP, sends exactly what ISC's trigger service sends (trigger-sender.ts) with the subscription's bearer
// token. Targets are loopback only: a demo tool must not become a way to post anywhere.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { stringify } from "yaml";
import {
  identityAttributesChanged,
  identityDeleted,
  provisioningCompleted,
  sendTrigger,
} from "./trigger-sender";

export const SAILPOINT_SIMULATOR_PORT = 8095;
export const SAILPOINT_SIMULATOR_TOKEN = "demo-isc-trigger-subscription-token";

interface SendRequest {
  target: string;
  identityId: string;
  /** cloudLifecycleState to move to (inactive, terminated, active), or "deleted" for Identity Deleted. */
  state?: string;
  /** Group entitlement values removed (Provisioning Completed). */
  removeGroups?: string[];
}

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
  } catch {
    return false;
  }
}

function payloadOf(r: SendRequest): unknown {
  if (r.removeGroups?.length) return provisioningCompleted(r.identityId, r.removeGroups);
  if (r.state === "deleted") return identityDeleted(r.identityId);
  return identityAttributesChanged(r.identityId, "active", r.state ?? "terminated");
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = "";
  for await (const chunk of req) body += chunk;
  return body;
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  if (req.method !== "POST" || req.url !== "/__fake/send") return reply(404, { error: "POST /__fake/send" });
  let r: SendRequest;
  try {
    r = JSON.parse(await readBody(req)) as SendRequest;
  } catch {
    return reply(400, { error: "body must be JSON" });
  }
  if (typeof r.identityId !== "string" || typeof r.target !== "string" || !isLoopback(r.target))
    return reply(400, { error: "identityId and a loopback target URL are required" });
  const status = await sendTrigger(
    r.target,
    { kind: "bearer", token: SAILPOINT_SIMULATOR_TOKEN },
    payloadOf(r),
  );
  reply(200, { sent: true, keybridgeStatus: status });
}

export async function startSailpointSimulator(
  options: { port?: number; host?: string } = {},
): Promise<{ stop(): Promise<void>; url: string; banner: string }> {
  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: err.message }));
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(options.port ?? SAILPOINT_SIMULATOR_PORT, options.host ?? "127.0.0.1", resolve),
  );
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sailpoint = { auth: "bearer", secretName: "ISC_TRIGGER" };
  const yaml = stringify(
    { tenants: [{ id: "nordwerk-sailpoint", signals: { sailpoint } }] },
    { lineWidth: 0 },
  );
  const send = JSON.stringify({
    target: "http://127.0.0.1:8080/hooks/sailpoint/nordwerk-sailpoint",
    identityId: "<externalId>",
    state: "terminated",
  });
  const banner = [
    `SailPoint ISC trigger sender listening on ${url} (POST /__fake/send; sends as ISC's trigger service does)`,
    "  Add to your tenant in the config file (KEYBRIDGE_CONFIG), next to its id, displayName and kind:",
    ...yaml
      .trimEnd()
      .split("\n")
      .map((l) => `    ${l}`),
    "  and set in the environment of keybridge start:",
    `    export KEYBRIDGE_SECRET_ISC_TRIGGER=${SAILPOINT_SIMULATOR_TOKEN}`,
    "  Send a leaver (the identity id is the SCIM externalId under the default join key):",
    `    curl -s -X POST ${url}/__fake/send -H 'content-type: application/json' -d '${send}'`,
    '  Other sends: "state": "inactive" | "active" | "deleted", or "removeGroups": ["<group id>"].',
  ].join("\n");
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { stop, url, banner };
}
