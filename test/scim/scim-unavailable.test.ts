// Redis unreachable → 503 SCIM Error, promptly (the IdP must not hang: Okta gives up after 30 s), never
// 404, which would make the IdP re-create a user that exists (ARCHITECTURE §3).
import { startScimHarness, type ScimHarness } from "./scim-harness";

let h: ScimHarness;
beforeAll(async () => {
  h = await startScimHarness();
});
afterAll(async () => h.stop());

test("with the private Redis stopped, GET /Users/{id} and POST /Users answer 503", async () => {
  const created = await h.call("okta", "POST", "/Users", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: "down@example.com",
  });
  expect(created.status).toBe(201);
  await h.redis.stop();
  const started = Date.now();
  const res = await h.call("okta", "GET", `/Users/${created.body.id}`);
  // A hang guard, not a performance figure: far below every IdP's timeout (scim-clients.md §2.4).
  expect(Date.now() - started).toBeLessThan(10_000);
  expect(res.status).toBe(503);
  expect(res.body).toMatchObject({ status: "503", schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"] });
  const post = await h.call("okta", "POST", "/Users", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName: "b@x",
  });
  expect(post.status).toBe(503);
  // Not ready (Redis is gone) but alive: a restart would not bring Redis back.
  const ready = await fetch(`${h.url}/readyz`);
  expect(ready.status).toBe(503);
  expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
});
