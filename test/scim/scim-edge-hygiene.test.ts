// Edge hygiene over HTTP (issue #9 item 7): X-Forwarded-* and Host are untrusted unless configured,
// an unknown tenant is indistinguishable from a wrong token, and failed authentication floods from one
// address are cut off in process, before they cost a Redis script each.
import { request } from "node:http";
import { connect } from "node:net";
import { Redis } from "ioredis";
import { TenantTokens } from "../../src/scim/tenant-tokens";
import { startScimHarness, type ScimHarness } from "./scim-harness";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ERROR = "urn:ietf:params:scim:api:messages:2.0:Error";

const user = (userName: string) => ({ schemas: [CORE], userName });
const spoofed = { "x-forwarded-host": "evil.example", "x-forwarded-proto": "https" };

/** A raw request with a chosen Host header (fetch does not let a caller set Host). */
function withHost(url: string, host: string, token: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: "GET", headers: { host, authorization: `Bearer ${token}` } },
      (res) => {
        let body = "";
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

describe("default configuration: no proxy trusted, no publicBaseUrl", () => {
  let h: ScimHarness;
  beforeAll(async () => {
    h = await startScimHarness({ authFailureLimit: { requestsPerSecond: 0.001, burst: 8 } });
  });
  afterAll(async () => h.stop());

  test("Location and meta.location ignore X-Forwarded-Host and -Proto", async () => {
    const res = await h.call("okta", "POST", "/Users", user("loc@example.org"), spoofed);
    expect(res.status).toBe(201);
    const expected = `${h.url}/scim/v2/okta/Users/${res.body.id}`;
    expect(res.headers.get("location")).toBe(expected);
    expect((res.body.meta as { location: string }).location).toBe(expected);
  });

  test.each(["evil.example/x?y=", "a b", "evil.example:99999999", "@evil"])(
    "a Host header %j that is not host[:port] is 400 with a SCIM body",
    async (host) => {
      const res = await withHost(`${h.url}/scim/v2/okta/Users`, host, h.tokens.okta);
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toMatchObject({ schemas: [ERROR], status: "400" });
    },
  );

  test("an unknown tenant answers exactly like a known tenant with a wrong token", async () => {
    const ask = async (tenant: string, token?: string) => {
      const res = await fetch(`${h.url}/scim/v2/${tenant}/Users`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      return {
        status: res.status,
        authenticate: res.headers.get("www-authenticate"),
        body: await res.json(),
      };
    };
    const wrongToken = await ask("okta", "not-a-token");
    expect(wrongToken.status).toBe(401);
    expect(await ask("nobody", h.tokens.okta)).toEqual(wrongToken);
    expect(await ask("nobody")).toEqual(await ask("okta"));
    expect((await ask("nobody")).status).toBe(401);
  });

  test("failed authentications beyond the per-address budget are 429 without touching Redis", async () => {
    const client = new Redis(h.redis.url);
    try {
      const scripts = async () => {
        const stats = await client.info("commandstats");
        return [...stats.matchAll(/cmdstat_(?:evalsha|eval|fcall)[^:]*:calls=(\d+)/g)].reduce(
          (sum, m) => sum + Number(m[1]),
          0,
        );
      };
      const guess = () =>
        fetch(`${h.url}/scim/v2/okta/Users`, { headers: { authorization: "Bearer guess" } });
      // Spend what is left of this address's (127.0.0.1) budget of 8; earlier tests spent some of it.
      const statuses: number[] = [];
      for (let i = 0; i < 8 && statuses.at(-1) !== 429; i++) statuses.push((await guess()).status);
      expect(statuses.at(-1)).toBe(429);
      expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
      const before = await scripts();
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${h.url}/scim/v2/okta/Users`, {
          headers: { authorization: "Bearer guess" },
        });
        expect(res.status).toBe(429);
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
        expect(await res.json()).toMatchObject({ schemas: [ERROR], status: "429" });
      }
      expect(await scripts()).toBe(before);
      // The IdP behind the same address is not locked out by the flood: its token authenticated before,
      // so its requests (deactivations included) still reach the Redis check and are served.
      const id = (await h.call("okta", "POST", "/Users", user("leaver@example.org"))).body.id;
      const off = await h.call("okta", "PATCH", `/Users/${id}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", value: { active: false } }],
      });
      expect(off.status).toBe(200);
      expect(off.body.active).toBe(false);
      expect((await guess()).status).toBe(429);
    } finally {
      client.disconnect();
    }
  });

  test("a revoked token no longer passes an over-budget address: one 401, then 429 like any guess", async () => {
    // Runs after the flood above: 127.0.0.1 is over its budget, and the okta token is known there.
    const client = new Redis(h.redis.url);
    try {
      const tokens = new TenantTokens({ redis: client });
      for (const t of await tokens.list("okta")) await tokens.revoke("okta", t.id);
      const withRevoked = () =>
        fetch(`${h.url}/scim/v2/okta/Users`, { headers: { authorization: `Bearer ${h.tokens.okta}` } });
      expect((await withRevoked()).status).toBe(401);
      // A leaked, revoked token must not keep costing Redis an admission script per request.
      expect((await withRevoked()).status).toBe(429);
    } finally {
      client.disconnect();
    }
  });
});

describe("behind a trusted proxy", () => {
  let h: ScimHarness;
  beforeAll(async () => {
    h = await startScimHarness({ trustProxy: "loopback" });
  });
  afterAll(async () => h.stop());

  test("X-Forwarded-Host and -Proto from the trusted proxy build Location", async () => {
    const res = await h.call("okta", "POST", "/Users", user("proxy@example.org"), spoofed);
    expect(res.headers.get("location")).toBe(`https://evil.example/scim/v2/okta/Users/${res.body.id}`);
  });
});

describe("with publicBaseUrl", () => {
  let h: ScimHarness;
  beforeAll(async () => {
    h = await startScimHarness({ publicBaseUrl: "https://scim.example.org/" });
  });
  afterAll(async () => h.stop());

  test("Location comes from publicBaseUrl whatever Host and X-Forwarded-* say", async () => {
    const res = await h.call("okta", "POST", "/Users", user("public@example.org"), spoofed);
    expect(res.headers.get("location")).toBe(`https://scim.example.org/scim/v2/okta/Users/${res.body.id}`);
    const bad = await withHost(`${h.url}/scim/v2/okta/Users`, "a b", h.tokens.okta);
    expect(bad.status).toBe(200);
  });
});

describe("requests Node's parser rejects still get a SCIM Error body", () => {
  let h: ScimHarness;
  beforeAll(async () => {
    h = await startScimHarness();
  });
  afterAll(async () => h.stop());

  /** Sends raw bytes on a fresh socket and returns everything the server answers before closing. */
  function rawExchange(bytes: string): Promise<string> {
    const { port } = new URL(h.url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), "127.0.0.1", () => socket.write(bytes));
      let answer = "";
      socket.setTimeout(5000, () => socket.destroy(new Error("no answer")));
      socket.on("data", (chunk) => {
        answer += chunk;
      });
      socket.on("end", () => resolve(answer));
      socket.on("error", reject);
    });
  }

  function parse(answer: string): { status: number; contentType: string; body: unknown } {
    const [head = "", body = ""] = answer.split("\r\n\r\n");
    return {
      status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]),
      contentType: /content-type: ([^\r\n]+)/i.exec(head)?.[1] ?? "",
      body: JSON.parse(body),
    };
  }

  test("oversize headers are 431", async () => {
    const answer = await rawExchange(
      `GET /scim/v2/okta/Users HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
    );
    expect(parse(answer)).toEqual({
      status: 431,
      contentType: "application/scim+json; charset=utf-8",
      body: { schemas: [ERROR], status: "431", detail: "Request headers are too large." },
    });
  });

  test.each([
    ["a malformed request line", "GARBAGE\r\n\r\n"],
    ["a header without a colon", "GET /scim/v2/okta/Users HTTP/1.1\r\nHost: localhost\r\nNoColon\r\n\r\n"],
    [
      "a bad chunked body",
      "POST /scim/v2/okta/Users HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    ],
  ])("%s is 400", async (_name, bytes) => {
    const answer = parse(await rawExchange(bytes));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ schemas: [ERROR], status: "400" });
  });
});
