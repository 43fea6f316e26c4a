// The README demo as a test: the processes `keybridge start` runs (and `serve` + `worker` separately)
// built through src/runtime with the shipped mappings and the simulated (memory) key system, driven
// over HTTP like an IdP. A joiner's grant becomes effective after the simulated programming delay;
// deactivating them (Entra's "False" string) revokes it to effective.
import { join } from "node:path";
import { holderExternalId } from "../../src/access/holder-spec";
import { readAuditRecords } from "../../src/audit/export-audit";
import { verifyAudit } from "../../src/audit/verify-audit";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type E2eKeybridge, e2eConfig, LAYOUTS, startKeybridge } from "./e2e-processes";

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

describe.each(LAYOUTS)("the npm start demo, end to end (%s)", (layout) => {
  let redis: TestRedis;
  let kb: E2eKeybridge;

  beforeAll(async () => {
    redis = await startTestRedis();
    const config = e2eConfig({
      ...redis.config,
      mappingsDir: join(__dirname, "../../mappings"),
      keySystems: { demo: { options: { programmingDelayMs: 300, propagationDelayMs: 300 } } },
      reconcile: { backoffMs: 50, confirmAfterMs: 200 },
    });
    kb = await startKeybridge(config, layout);
  });

  afterAll(async () => {
    await kb?.close();
    await redis.stop();
  });

  it("grants the demo door to a group member and revokes it when the user is deactivated", async () => {
    const scim = await kb.scim("demo");
    const user = await scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "ada@example.org",
      name: { givenName: "Ada", familyName: "Lovelace" },
      active: true,
    });
    expect(user.status).toBe(201);
    const id = String(user.body.id);
    const group = await scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Door Access Demo",
    });
    expect(group.status).toBe(201);
    const add = await scim("PATCH", `/Groups/${group.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "Add", path: "members", value: [{ $ref: null, value: id }] }],
    });
    expect(add.status).toBe(204);

    const granted = await kb.waitForLedger("demo", "demo", id, "demo-door", "grant", ["effective"]);
    expect(granted.map((e) => e.state)).toContain("pending_programming");
    expect(granted.at(-1)?.reasons).toEqual(["door-access-demo"]);
    // The simulated key system's own record, not only our ledger.
    const held = await kb.driver("demo").observe(holderExternalId("demo", "demo", id));
    expect(held.credentials.flatMap((c) => c.programmedGrants.map((g) => g.vendorRef))).toEqual([
      "demo-door-1",
    ]);

    const off = await scim("PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);

    const revoked = await kb.waitForLedger("demo", "demo", id, "demo-door", "revoke", ["effective"]);
    expect(revoked.at(-1)?.effectiveAt).toBeDefined();
    const after = await kb.driver("demo").observe(holderExternalId("demo", "demo", id));
    expect(after.credentials.flatMap((c) => c.programmedGrants.map((g) => g.vendorRef))).toEqual([]);

    const audit = await verifyAudit(kb.core.redis);
    expect(audit.ok).toBe(true);
    const types = (await readAuditRecords(kb.core.redis, { person: id }, 1000)).map((r) => r.type);
    expect(types).toEqual(
      expect.arrayContaining([
        "scim.user.created",
        "scim.user.deactivated",
        "grant.effective",
        "revocation.effective",
      ]),
    );
  });
});
