// An Okta org over plain http on loopback for the unmodified @okta/okta-sdk-nodejs client (idp-signals.md
// §2.3, §2.5, §2.6, §5.2): GET /api/v1/logs with polling semantics and absolute Link headers,
// X-Rate-Limit-* on every answer, 429 E0000047 faults, SSWS tokens and /oauth2/v1/token for private-key
// JWT service apps. Records every request; a small control plane under /__fake/ appends events for demos.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { verifyClientAssertion } from "./okta-client-assertion";
import { type LogEventSpec, type OktaLogEvent, oktaLogEvent } from "./okta-log-event";
import { encodeCursor, parseLogQuery, selectLogPage, type StoredLogEvent } from "./okta-log-query";

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  query: URLSearchParams;
  auth: "SSWS" | "Bearer" | "DPoP" | "none";
  status: number;
  /** X-Rate-Limit-Reset of the answer in ms, when it carried one. */
  resetAtMs?: number;
}

/** A scripted answer to the next /api/v1/logs request(s), ahead of the rate-limit bucket. */
export type LogFault = { status: 429; resetInSeconds: number } | { status: 500 | 503 };

interface OAuthClient {
  publicKey: string;
  scopes: string[];
}

export interface OrgFakeOptions {
  now?: () => number;
  /** The /api/v1/logs bucket: requests per window (Okta commonly 60–120 per minute). */
  rateLimit?: { limit: number; windowSeconds: number };
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> };

const oktaError = (status: number, code: string, summary: string): Reply => ({
  status,
  body: {
    errorCode: code,
    errorSummary: summary,
    errorLink: code,
    errorId: `oae${randomUUID().slice(0, 8)}`,
    errorCauses: [],
  },
});

export class OktaOrgFake {
  readonly requests: RecordedRequest[] = [];
  readonly faults: LogFault[] = [];
  readonly sswsTokens = new Set<string>();
  private readonly clients = new Map<string, OAuthClient>();
  private readonly accessTokens = new Map<string, string[]>();
  private readonly stored: StoredLogEvent[] = [];
  private readonly now: () => number;
  private readonly rate: { limit: number; windowSeconds: number };
  private bucket = { used: 0, resetAt: 0 };
  private server: Server | null = null;
  url = "";

  constructor(options: OrgFakeOptions = {}) {
    this.now = options.now ?? Date.now;
    this.rate = options.rateLimit ?? { limit: 120, windowSeconds: 60 };
  }

  /** Registers an API service app (public key PEM) allowed the given scopes. */
  addServiceApp(clientId: string, publicKeyPem: string, scopes = ["okta.logs.read"]): void {
    this.clients.set(clientId, { publicKey: publicKeyPem, scopes });
  }

  /** Appends events to the System Log in persistence order (a repeated uuid is a duplicate delivery). */
  append(...specs: Array<LogEventSpec | OktaLogEvent>): OktaLogEvent[] {
    const at = this.now();
    return specs.map((spec) => {
      const event = "version" in spec ? spec : oktaLogEvent(spec, new Date(at));
      this.stored.push({ seq: this.stored.length + 1, persistedAt: at, event });
      return event;
    });
  }

  /** Forgets every issued access token: the next API call answers 401 and the SDK fetches a new one. */
  revokeAccessTokens(): void {
    this.accessTokens.clear();
  }

  logRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === "/api/v1/logs");
  }

  async start(port = 0, host = "127.0.0.1"): Promise<string> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    this.url = `http://${host}:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const body = await readBody(req);
    const reply = this.route(req, url, body);
    const rateHeaders = url.pathname === "/api/v1/logs" ? this.rateHeaders() : {};
    const headers: Record<string, string> = {
      "content-type": "application/json",
      ...rateHeaders,
      ...reply.headers,
    };
    this.requests.push({
      at: this.now(),
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      auth: authKind(req.headers.authorization),
      status: reply.status,
      ...(headers["x-rate-limit-reset"] ? { resetAtMs: Number(headers["x-rate-limit-reset"]) * 1000 } : {}),
    });
    res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
  }

  private route(req: IncomingMessage, url: URL, body: string): Reply {
    if (req.method === "POST" && url.pathname === "/oauth2/v1/token") return this.token(body);
    if (req.method === "GET" && url.pathname === "/api/v1/logs") return this.logs(req, url);
    if (req.method === "POST" && url.pathname === "/__fake/events") return this.appendFromControl(body);
    return oktaError(404, "E0000022", "The endpoint does not support the provided HTTP method");
  }

  private token(body: string): Reply {
    const form = new URLSearchParams(body);
    const assertion = form.get("client_assertion") ?? "";
    const clientId = decodeIssuer(assertion);
    const client = clientId ? this.clients.get(clientId) : undefined;
    const invalid = (description: string): Reply => ({
      status: 401,
      body: { error: "invalid_client", error_description: description },
    });
    if (form.get("grant_type") !== "client_credentials")
      return { status: 400, body: { error: "unsupported_grant_type", error_description: "grant_type" } };
    if (!client || !clientId) return invalid("The client_assertion names no registered client.");
    const check = verifyClientAssertion(assertion, {
      clientId,
      publicKey: client.publicKey,
      audience: `${this.url}/oauth2/v1/token`,
      nowSeconds: Math.floor(this.now() / 1000),
    });
    if (!check.ok) return invalid(check.reason);
    const scopes = (form.get("scope") ?? "").split(" ").filter(Boolean);
    if (scopes.length === 0 || scopes.some((s) => !client.scopes.includes(s)))
      return {
        status: 400,
        body: { error: "invalid_scope", error_description: "The requested scope is invalid." },
      };
    const accessToken = randomUUID();
    this.accessTokens.set(accessToken, scopes);
    return {
      status: 200,
      body: { token_type: "Bearer", expires_in: 3600, access_token: accessToken, scope: scopes.join(" ") },
    };
  }

  private logs(req: IncomingMessage, url: URL): Reply {
    const denied = this.authorize(req.headers.authorization);
    if (denied) return denied;
    const fault = this.faults.shift();
    if (fault) return this.faultReply(fault);
    if (!this.takeFromBucket())
      return oktaError(429, "E0000047", "API call exceeded rate limit due to too many requests.");
    const parsed = parseLogQuery(url.searchParams, this.now());
    if (!parsed.ok) return oktaError(400, "E0000031", parsed.summary);
    const page = selectLogPage(this.stored, parsed.query);
    const links = [`<${url.href}>; rel="self"`];
    if (page.nextSeq !== null) {
      const next = new URL(url.href);
      next.searchParams.delete("since");
      next.searchParams.set("after", encodeCursor(page.nextSeq));
      links.push(`<${next.href}>; rel="next"`);
    }
    return { status: 200, body: page.events, headers: { link: links.join(", ") } };
  }

  private authorize(authorization: string | undefined): Reply | null {
    const [scheme, value] = (authorization ?? "").split(" ");
    if (scheme === "SSWS" && value && this.sswsTokens.has(value)) return null;
    const scopes =
      (scheme === "Bearer" || scheme === "DPoP") && value ? this.accessTokens.get(value) : undefined;
    if (!scopes) return oktaError(401, "E0000011", "Invalid token provided");
    if (!scopes.includes("okta.logs.read"))
      return oktaError(403, "E0000006", "You do not have permission to perform the requested action");
    return null;
  }

  private faultReply(fault: LogFault): Reply {
    if (fault.status !== 429) return oktaError(fault.status, "E0000009", "Internal Server Error");
    const reset = Math.ceil(this.now() / 1000) + fault.resetInSeconds;
    const reply = oktaError(429, "E0000047", "API call exceeded rate limit due to too many requests.");
    return { ...reply, headers: { "x-rate-limit-remaining": "0", "x-rate-limit-reset": String(reset) } };
  }

  private takeFromBucket(): boolean {
    const now = this.now();
    if (now >= this.bucket.resetAt)
      this.bucket = { used: 0, resetAt: (Math.floor(now / 1000) + this.rate.windowSeconds) * 1000 };
    if (this.bucket.used >= this.rate.limit) return false;
    this.bucket.used += 1;
    return true;
  }

  private rateHeaders(): Record<string, string> {
    return {
      "x-rate-limit-limit": String(this.rate.limit),
      "x-rate-limit-remaining": String(Math.max(0, this.rate.limit - this.bucket.used)),
      "x-rate-limit-reset": String(Math.floor(this.bucket.resetAt / 1000)),
    };
  }

  private appendFromControl(body: string): Reply {
    try {
      const parsed = JSON.parse(body) as LogEventSpec | { events: LogEventSpec[] };
      const specs = "events" in parsed ? parsed.events : [parsed];
      return { status: 201, body: this.append(...specs) };
    } catch (err) {
      return { status: 400, body: { error: (err as Error).message } };
    }
  }
}

function authKind(header: string | undefined): RecordedRequest["auth"] {
  const scheme = header?.split(" ")[0];
  return scheme === "SSWS" || scheme === "Bearer" || scheme === "DPoP" ? scheme : "none";
}

function decodeIssuer(jwt: string): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString()) as {
      iss?: unknown;
    };
    return typeof payload.iss === "string" ? payload.iss : undefined;
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
