// Logs people can read: one line per SCIM request with the route template (no ids, no filter values,
// no personal data), and colour lines instead of JSON when a person watches a terminal.
import { PassThrough } from "node:stream";
import { defaultLogDestination } from "../../src/log/default-log-destination";
import { createLogger } from "../../src/log/logger";
import { REQUEST_LOG, routeTemplate } from "../../src/scim/request-log";
import { type ScimHarness, startScimHarness } from "../scim/scim-harness";

test("route templates replace every value and keep only known resource names", () => {
  expect(routeTemplate("/scim/v2/acme/Users/2819c223-7f76?attributes=userName")).toBe(
    "/scim/v2/:tenant/Users/:id",
  );
  expect(routeTemplate('/scim/v2/acme/Users?filter=userName%20eq%20"bjensen"')).toBe(
    "/scim/v2/:tenant/Users",
  );
  expect(routeTemplate("/scim/v2/acme/Users/.search")).toBe("/scim/v2/:tenant/Users/.search");
  expect(routeTemplate("/scim/v2/acme/Schemas/urn:ietf:params:scim:schemas:core:2.0:User")).toBe(
    "/scim/v2/:tenant/Schemas/:id",
  );
  expect(routeTemplate("/scim/v2/acme/bjensen@example.com")).toBe("/scim/v2/:tenant/*");
  expect(routeTemplate("/admin/bjensen")).toBe("*");
  expect(routeTemplate("/healthz")).toBe("/healthz");
});

describe("over HTTP", () => {
  let h: ScimHarness;
  const lines: Array<Record<string, unknown>> = [];
  let raw = "";
  beforeAll(async () => {
    const sink = new PassThrough();
    sink.on("data", (c: Buffer) => {
      raw += c.toString();
      for (const l of c.toString().split("\n").filter(Boolean)) lines.push(JSON.parse(l));
    });
    h = await startScimHarness({ logger: createLogger("info", sink) });
  });
  afterAll(() => h.stop());

  test("one line per request: method, template, status, tenant, duration, request id; no personal data", async () => {
    const created = await h.call("okta", "POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "bjensen@example.com",
      name: { givenName: "Barbara", familyName: "Jensen" },
      active: true,
    });
    expect(created.status).toBe(201);
    await h.call(
      "okta",
      "GET",
      `/Users?filter=${encodeURIComponent('userName eq "bjensen@example.com"')}`,
      undefined,
      {
        "x-request-id": "req-42",
      },
    );
    await h.call("okta", "GET", `/Users/${String(created.body.id)}`);
    await new Promise((r) => setTimeout(r, 50));

    const requests = lines.filter((l) => l.msg === REQUEST_LOG);
    expect(requests.map((l) => [l.method, l.route, l.status, l.tenant])).toEqual([
      ["POST", "/scim/v2/:tenant/Users", 201, "okta"],
      ["GET", "/scim/v2/:tenant/Users", 200, "okta"],
      ["GET", "/scim/v2/:tenant/Users/:id", 200, "okta"],
    ]);
    expect(requests[1]).toMatchObject({ requestId: "req-42", durationMs: expect.any(Number) });
    expect(raw).not.toMatch(/bjensen|Jensen|Barbara/);
    expect(raw).not.toContain(String(created.body.id));
  });
});

test("a terminal gets readable lines; a pipe gets JSON", () => {
  const tty = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.WriteStream;
  let text = "";
  (tty as unknown as PassThrough).on("data", (c: Buffer) => (text += c.toString()));
  createLogger("info", defaultLogDestination(tty)).info({ tenant: "okta" }, "mappings reloaded");
  expect(text).toContain("mappings reloaded");
  expect(text).toContain("tenant");
  expect(() => JSON.parse(text)).toThrow();

  const pipe = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
  expect(defaultLogDestination(pipe)).toBeUndefined();
});
