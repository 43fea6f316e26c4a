// Per-tenant rate limit: a token bucket in Redis; past the burst, 429 with Retry-After and the
// x-rate-limit-* headers SailPoint's connector reads (scim-clients.md §2.3 "Throttling").
import { startScimHarness, type ScimHarness } from "./scim-harness";

let h: ScimHarness;
beforeAll(async () => {
  h = await startScimHarness({ rateLimit: { requestsPerSecond: 0.5, burst: 3 } });
});
afterAll(async () => h.stop());

test("the fourth request in a burst of three is 429 with Retry-After and x-rate-limit headers", async () => {
  const statuses: number[] = [];
  let last: Awaited<ReturnType<ScimHarness["call"]>> | undefined;
  for (let i = 0; i < 4; i += 1) {
    last = await h.call("sailpoint", "GET", "/Users?count=1");
    statuses.push(last.status);
  }
  expect(statuses).toEqual([200, 200, 200, 429]);
  const headers = last?.headers as Headers;
  expect(Number(headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect(headers.get("x-rate-limit-retry-after-seconds")).toBe(headers.get("retry-after"));
  expect(headers.get("x-rate-limit-limit")).toBe("3");
  expect(headers.get("x-rate-limit-remaining")).toBe("0");
  expect(Number(headers.get("x-rate-limit-reset"))).toBeGreaterThan(Date.now() / 1000);
  expect(last?.body).toMatchObject({
    status: "429",
    schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
  });
});

test("the budget is per tenant: another tenant is not throttled", async () => {
  const res = await h.call("okta", "GET", "/Users?count=1");
  expect(res.status).toBe(200);
  expect(res.headers.get("x-rate-limit-remaining")).toBe("2");
});

test("requests with a wrong token are 401 and leave the tenant's budget untouched", async () => {
  const wrong = { authorization: "Bearer not-a-token-of-this-tenant" };
  for (let i = 0; i < 4; i += 1)
    expect((await h.call("entra", "GET", "/Users?count=1", undefined, wrong)).status).toBe(401);
  const res = await h.call("entra", "GET", "/Users?count=1");
  expect(res.status).toBe(200);
  expect(res.headers.get("x-rate-limit-remaining")).toBe("2");
});
