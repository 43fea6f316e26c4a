// The iLOQ Public API v2 fake over real HTTP (key-systems.md §6.1), with its control plane under /__fake/.
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "../../../src/drivers/key-system-driver";
import { blacklistRoutes } from "./iloq-fake-blacklist-routes";
import { IloqFakeControl } from "./iloq-fake-control";
import { handleControlRequest } from "./iloq-fake-control-http";
import { type FaultRule, takeFault } from "./iloq-fake-faults";
import { keyAccessRoutes } from "./iloq-fake-key-access-routes";
import { keyRoutes } from "./iloq-fake-key-routes";
import { logRoutes } from "./iloq-fake-log-routes";
import { personRoutes } from "./iloq-fake-person-routes";
import { type FakeReply, type FakeRoute, matchRoute, type RouteContext } from "./iloq-fake-route";
import { sessionRoutes } from "./iloq-fake-session-routes";
import { toUtcString } from "./iloq-fake-time";
import {
  defaultAssumptions,
  emptyState,
  type FakeSession,
  type IloqFakeAssumptions,
  type IloqFakeOptions,
  type IloqFakeState,
} from "./iloq-fake-types";
import { deliverWebhook, duePayloads, enqueueWebhooks } from "./iloq-fake-webhooks";

const ROUTES: FakeRoute[] = [
  ...sessionRoutes,
  ...personRoutes,
  ...keyAccessRoutes,
  ...keyRoutes,
  ...blacklistRoutes,
  ...logRoutes,
];

/** One request as the fake saw it; the password is never recorded. */
export interface JournalEntry {
  at: string;
  method: string;
  /** Path after /api/v2/ as sent (case preserved). */
  path: string;
  /** Whatever came before /api/v2/ ("" or a pool such as "/iloqwspool2"). */
  pool: string;
  query: string;
  sessionId: string | null;
  apiKey: string | null;
  body: unknown;
  status: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class IloqFakeServer {
  readonly state: IloqFakeState = emptyState();
  readonly assumptions: IloqFakeAssumptions;
  readonly control: IloqFakeControl;
  readonly journal: JournalEntry[] = [];
  readonly faults: FaultRule[] = [];
  private readonly clock: Clock;
  private readonly newId: () => string;
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly inflight = new Set<Promise<void>>();
  private server: Server | null = null;
  /** CreateSession calls since start, successful or not (never reset with the journal). */
  loginAttempts = 0;
  url = "";

  constructor(options: IloqFakeOptions) {
    this.clock = options.clock;
    this.newId = options.newId ?? randomUUID;
    this.assumptions = { ...defaultAssumptions, ...options.assumptions };
    this.control = new IloqFakeControl(this.state, this.clock, this.newId, (log) => {
      const key = log.FNKey_ID ? this.state.keys.get(log.FNKey_ID) : undefined;
      this.emitWebhook("device_log_arrived", log.LockGroup_ID, {
        DeviceLogTypeMask: log.AccessTypeMask,
        FLock_ID: log.FLock_ID,
        FNKey_ID: log.FNKey_ID,
        GoingDateUtc: toUtcString(log.goingUtc),
        KeyTypeMask: key?.KeyTypeMask ?? 0,
        Person_ID: log.Person_ID,
      });
    });
  }

  async start(port = 0, host = "127.0.0.1"): Promise<string> {
    const server = createServer((req, res) => {
      this.onRequest(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ Message: "An error has occurred." }));
      });
    });
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    this.server = server;
    this.url = `http://${host}:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await this.settleWebhooks();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Sends webhook payloads whose retry time has come, then waits for every delivery in flight. */
  async deliverDueWebhooks(): Promise<void> {
    for (const { sub, payload } of duePayloads(this.state, this.clock.now())) {
      this.track(deliverWebhook(sub, payload, this.clock, this.assumptions.webhookTimeoutMs));
    }
    await this.settleWebhooks();
  }

  async settleWebhooks(): Promise<void> {
    while (this.inflight.size) await Promise.allSettled([...this.inflight]);
  }

  /** Counts journal entries, e.g. mutating requests (anything but GET, plus the read-only POSTs). */
  requests(filter: (e: JournalEntry) => boolean = () => true): JournalEntry[] {
    return this.journal.filter(filter);
  }

  private track(p: Promise<void>) {
    this.inflight.add(p);
    p.finally(() => this.inflight.delete(p));
  }

  private emitWebhook(eventName: string, lockGroupId: string, data: unknown) {
    for (const { sub, payload } of enqueueWebhooks(this.state, this.clock, eventName, lockGroupId, data)) {
      this.track(deliverWebhook(sub, payload, this.clock, this.assumptions.webhookTimeoutMs));
    }
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://fake");
    const raw = await readBody(req);
    if (url.pathname.startsWith("/__fake/")) {
      const reply = await handleControlRequest(this, req.method ?? "GET", url, raw);
      return send(res, reply);
    }
    const m = /^(.*?)\/api\/v2\/(.*)$/i.exec(url.pathname);
    const method = (req.method ?? "GET").toUpperCase();
    let body: unknown = null;
    try {
      body = raw.length ? JSON.parse(raw.toString("utf8")) : null;
    } catch {
      return send(res, { status: 400, body: { Message: "The request is invalid." } });
    }
    const entry: JournalEntry = {
      at: this.clock.now().toISOString(),
      method,
      path: m?.[2] ?? url.pathname,
      pool: m?.[1] ?? "",
      query: url.search,
      sessionId: header(req, "sessionid"),
      apiKey: header(req, "x-api-key"),
      body: redact(body),
      status: 0,
    };
    this.journal.push(entry);
    if (/^createsession$/i.test(entry.path)) this.loginAttempts += 1;
    const fault = takeFault(this.faults, method, entry.path);
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    if (fault?.reset) {
      entry.status = -1;
      req.socket.destroy();
      return;
    }
    if (fault?.expireSession && entry.sessionId) this.state.sessions.delete(entry.sessionId);
    let reply: FakeReply;
    if (fault?.status) {
      const headers: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) headers["retry-after"] = String(fault.retryAfterSeconds);
      reply = { status: fault.status, body: { Message: "fault injected" }, headers };
    } else {
      reply = m ? await this.dispatch(method, m[2] ?? "", url, body, entry) : { status: 404 };
    }
    entry.status = reply.status;
    if (fault?.holdAnswerMs) await sleep(fault.holdAnswerMs);
    send(res, reply);
  }

  private async dispatch(method: string, path: string, url: URL, body: unknown, entry: JournalEntry) {
    const a = this.assumptions;
    if (a.gatewayApiKey && entry.apiKey !== a.gatewayApiKey)
      return { status: 403, body: { Message: "Forbidden" } };
    const hit = matchRoute(ROUTES, method, path);
    if (!hit)
      return { status: 404, body: { Message: "No HTTP resource was found that matches the request URI." } };
    let session: FakeSession | null = null;
    if (hit.route.access !== "open") {
      session = this.liveSession(entry.sessionId);
      if (!session) return { status: a.sessionInvalidStatus, body: { Message: a.sessionInvalidMessage } };
      const limited = this.rateLimited(session.SessionID);
      if (limited) return limited;
    }
    const lockGroup = this.state.lockGroups.find((g) => g.LockGroup_ID === session?.lockGroupId);
    if (hit.route.access === "lockgroup" && !lockGroup) {
      // [inf] Data endpoints before SetLockgroup fail (§6.1.1); status undocumented.
      return { status: 400, body: { Message: "Lock group not selected" } };
    }
    const ctx: RouteContext = {
      state: this.state,
      a,
      clock: this.clock,
      newId: this.newId,
      params: hit.params,
      query: url.searchParams,
      body,
      session,
      lockGroup: lockGroup ?? this.state.lockGroups[0]!,
      emitWebhook: (name, group, data) => this.emitWebhook(name, group, data),
      sleep,
    };
    return hit.route.handle(ctx);
  }

  /** [inf] Sessions end after the idle timeout; every valid call refreshes it. */
  private liveSession(id: string | null): FakeSession | null {
    const s = id ? this.state.sessions.get(id) : undefined;
    if (!s) return null;
    const now = this.clock.now();
    if (now.getTime() - s.lastUsed.getTime() > this.assumptions.sessionIdleTimeoutMs) {
      this.state.sessions.delete(s.SessionID);
      return null;
    }
    s.lastUsed = now;
    return s;
  }

  /** [inf] Token bucket per SessionId with 429 + Retry-After; off unless configured. */
  private rateLimited(sessionId: string): FakeReply | null {
    const rl = this.assumptions.rateLimit;
    if (!rl) return null;
    const now = this.clock.now().getTime();
    const b = this.buckets.get(sessionId) ?? { tokens: rl.capacity, at: now };
    b.tokens = Math.min(rl.capacity, b.tokens + ((now - b.at) / 1000) * rl.refillPerSecond);
    b.at = now;
    this.buckets.set(sessionId, b);
    if (b.tokens < 1) {
      const wait = Math.max(1, Math.ceil((1 - b.tokens) / rl.refillPerSecond));
      return {
        status: 429,
        body: { Message: "Too many requests" },
        headers: { "retry-after": String(wait) },
      };
    }
    b.tokens -= 1;
    return null;
  }
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return typeof v === "string" ? v : null;
}

function redact(body: unknown): unknown {
  if (body && typeof body === "object" && "Password" in body) return { ...body, Password: "[redacted]" };
  return body;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, reply: FakeReply) {
  const headers = { ...reply.headers };
  if (reply.body === undefined || reply.status === 204) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(reply.body));
}
