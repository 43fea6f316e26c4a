// An Entra tenant end to end for the Graph channel tests: a private Redis, the Graph fake, and keybridge
// started through src/runtime (startProcesses, as `keybridge start`) with `signals.entra` pointing at the
// fake; persons are provisioned over SCIM with their Entra object id as externalId, as Entra does.
import { join } from "node:path";
import { holderExternalId } from "../../../src/access/holder-spec";
import type { AuditRecord } from "../../../src/audit/audit-record";
import { redisKeys } from "../../../src/store/redis-keys";
import { type E2eKeybridge, e2eConfig, startKeybridge } from "../../e2e/e2e-processes";
import { GraphFakeServer } from "../../fakes/graph/graph-fake-server";
import type { TestCertificate } from "../../fakes/graph/graph-test-certificate";
import { startTestRedis, type TestRedis } from "../../helpers/test-redis";

export const TENANT = "contoso";
export const ENTRA_TENANT_ID = "7c2b1a90-4e5d-4f3a-9b8c-1d2e3f4a5b6c";
export const STAFF_GROUP = "0a1b2c3d-0000-4000-8000-00000000staf";
const MAPPINGS = join(__dirname, "../../integration/mappings");

export interface EntraHarness {
  redis: TestRedis;
  fake: GraphFakeServer;
  kb: E2eKeybridge;
  scim: Awaited<ReturnType<E2eKeybridge["scim"]>>;
  /** Starts keybridge (again) on the same Redis and fake: a process restart. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface EntraHarnessOptions {
  pollIntervalSeconds?: number;
  /** Sign in with this certificate (uploaded to the fake's app registration) instead of the secret. */
  certificate?: TestCertificate;
  /** Leave the credential's secret unset (a start that must be refused). */
  omitSecret?: boolean;
}

export async function startEntraHarness(options: EntraHarnessOptions = {}): Promise<EntraHarness> {
  const redis = await startTestRedis();
  const fake = new GraphFakeServer({
    tenantId: ENTRA_TENANT_ID,
    app: {
      clientId: "kb-app",
      secret: options.certificate ? undefined : "graph-secret",
      certificatePem: options.certificate?.certificatePem,
    },
  });
  await fake.start();
  fake.directory.addGroup(STAFF_GROUP, "Staff");
  const config = e2eConfig(
    {
      redisUrl: redis.url,
      mappingsDir: MAPPINGS,
      tenants: [
        {
          id: TENANT,
          displayName: "Contoso Entra",
          kind: "entra",
          signals: {
            entra: {
              tenantId: ENTRA_TENANT_ID,
              clientId: "kb-app",
              ...(options.certificate
                ? { certificateName: "GRAPH_CERT", privateKeyName: "GRAPH_KEY" }
                : { secretName: "GRAPH_SECRET" }),
              authorityHost: fake.url,
              graphBaseUrl: fake.url,
              pollIntervalSeconds: options.pollIntervalSeconds ?? 1,
            },
          },
        },
      ],
      // Declared so the memory systems program at once (undeclared ones simulate 5 s, the demo's pace).
      keySystems: { lockhall: {}, yard: {} },
      reconcile: { backoffMs: 50, confirmAfterMs: 200 },
    },
    options.omitSecret
      ? {}
      : options.certificate
        ? { GRAPH_CERT: options.certificate.certificatePem, GRAPH_KEY: options.certificate.privateKeyPem }
        : { GRAPH_SECRET: "graph-secret" },
  );
  const h = { redis, fake } as EntraHarness;
  h.restart = async () => {
    await h.kb?.close();
    h.kb = await startKeybridge(config, "start");
    h.scim = await h.kb.scim(TENANT);
  };
  h.close = async () => {
    await h.kb?.close();
    await fake.stop();
    await redis.stop();
  };
  try {
    await h.restart();
  } catch (err) {
    await fake.stop();
    await redis.stop();
    throw err;
  }
  return h;
}

/** A person in Entra (the fake) and provisioned over SCIM, member of Staff in both; returns our id. */
export async function provisionStaff(h: EntraHarness, entraId: string): Promise<string> {
  h.fake.directory.addUser({ id: entraId });
  h.fake.directory.addMember(STAFF_GROUP, entraId);
  const user = await h.scim("POST", "/Users", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: `${entraId}@contoso.test`,
    externalId: entraId,
    active: true,
    phoneNumbers: [{ value: "+358401234567", type: "mobile" }],
  });
  if (user.status !== 201) throw new Error(`SCIM create answered ${user.status}`);
  const personId = String(user.body.id);
  const groups = await h.scim(
    "GET",
    `/Groups?filter=${encodeURIComponent(`externalId eq "${STAFF_GROUP}"`)}`,
  );
  const existing = (groups.body.Resources as Array<{ id: string }> | undefined)?.[0];
  if (existing) {
    const patch = { op: "add", path: "members", value: [{ value: personId }] };
    await h.scim("PATCH", `/Groups/${existing.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [patch],
    });
  } else {
    await h.scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Staff",
      externalId: STAFF_GROUP,
      members: [{ value: personId }],
    });
  }
  return personId;
}

/** Profiles programmed into the person's keys in the memory key system (its own state, not our ledger). */
export async function programmedRefs(h: EntraHarness, personId: string): Promise<string[]> {
  const obs = await h.kb.driver("lockhall").observe(holderExternalId(TENANT, "lockhall", personId));
  return obs.credentials
    .filter((c) => c.status !== "returned" && c.status !== "blocked" && c.status !== "lost")
    .flatMap((c) => c.programmedGrants.map((g) => g.vendorRef))
    .sort();
}

export async function waitFor<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Audit records of the signals core for this channel (after the outbox moved them onto the chain). */
export async function signalAudits(h: EntraHarness, type: string): Promise<AuditRecord[]> {
  await h.kb.core.auditOutbox.move(TENANT); // what is committed but not yet on the chain
  const entries = await h.kb.core.redis.xrange(redisKeys.auditLog(), "-", "+");
  return entries
    .map(([, fields]) => JSON.parse(fields[1] ?? "{}") as AuditRecord)
    .filter((r) => r.type === type && (r.data as { channel?: string } | undefined)?.channel === "entra");
}
