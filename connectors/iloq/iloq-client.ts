// HTTP client for the iLOQ Public API v2 with its session rules (key-systems.md §2.1): GetUrl →
// CreateSession → LockGroups → SetLockgroup, `SessionId` header (+ `x-api-key`), proactive re-login,
// exactly one re-login per rejected session, and no login retry after a rejected password (lockout).
import { DriverError } from "../../src/drivers/driver-error";
import type { Clock } from "../../src/drivers/key-system-driver";
import {
  classifyCreateSession,
  classifyHttpStatus,
  classifyNetworkError,
  MESSAGES,
  retryAfterMs,
} from "./classify-iloq-error";
import type { IloqOptions } from "./iloq-options";
import { resolveTimeZone } from "./iloq-time";
import type { IloqLockGroup } from "./iloq-wire";

interface Session {
  id: string;
  base: string;
  timeZone: string;
  lastUsed: number;
}

export interface CallOptions {
  body?: unknown;
  query?: Record<string, string | string[]>;
}

export interface ClientSecrets {
  password: string;
  apiKey?: string;
}

/** Counts requests per kind, for the benchmark's "vendor requests per operation" figure. */
export interface RequestCounter {
  requests: number;
}

export class IloqClient {
  private session: Session | null = null;
  private login: Promise<Session> | null = null;
  private authFailure: DriverError | null = null;
  readonly counter: RequestCounter = { requests: 0 };

  constructor(
    private readonly options: IloqOptions,
    private readonly secrets: ClientSecrets,
    private readonly clock: Clock,
  ) {}

  /** A session-bound call; a rejected session is re-established once and the call sent again once. */
  async call<T>(method: string, path: string, opts: CallOptions = {}): Promise<T> {
    let session = await this.currentSession();
    let res = await this.send(session.base, method, path, opts, session.id);
    if (res.status === 401 || (res.status === 403 && !this.secrets.apiKey)) {
      this.dropSession(session);
      session = await this.currentSession();
      res = await this.send(session.base, method, path, opts, session.id);
    }
    session.lastUsed = this.clock.now().getTime();
    return this.read<T>(res);
  }

  /** A call that needs no session (Test, Version), against the resolved base when there is one. */
  async open<T>(method: string, path: string): Promise<T> {
    const base = this.session?.base ?? this.options.baseUrl.replace(/\/+$/, "");
    return this.read<T>(await this.send(base, method, path, {}, null));
  }

  async timeZone(): Promise<string> {
    return (await this.currentSession()).timeZone;
  }

  /** Ends the session (KillSession); failures are ignored because the session expires anyway. */
  async close(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (!s) return;
    await this.send(s.base, "GET", "KillSession", {}, s.id).catch(() => undefined);
  }

  private dropSession(s: Session) {
    if (this.session === s) this.session = null;
  }

  private async currentSession(): Promise<Session> {
    if (this.authFailure) {
      throw new DriverError("systemic", MESSAGES.authLatched, {
        vendorSignal: this.authFailure.vendorSignal,
      });
    }
    const s = this.session;
    const idle = s ? this.clock.now().getTime() - s.lastUsed : 0;
    if (s && idle < this.options.sessionIdleMs) return s;
    this.session = null;
    // Concurrent callers share one login, so an expiry never causes a burst of CreateSession calls.
    this.login ??= this.doLogin().finally(() => {
      this.login = null;
    });
    return this.login;
  }

  private async doLogin(): Promise<Session> {
    const server = this.options.baseUrl.replace(/\/+$/, "");
    const { customerCode: CustomerCode, userName: UserName } = this.options;
    // Never skip GetUrl; an empty answer means "stay on the server you asked" (§2.1).
    const resolved = await this.read<unknown>(
      await this.send(server, "POST", "Url/GetUrl", { body: { CustomerCode } }, null),
    );
    const base =
      typeof resolved === "string" && resolved.trim() ? resolved.trim().replace(/\/+$/, "") : server;
    const body = { UserName, Password: this.secrets.password, CustomerCode, ApiKey: "", ApiSecret: "" };
    const created = await this.read<{ SessionID?: string; Result?: number }>(
      await this.send(base, "POST", "CreateSession", { body }, null),
    );
    const refused = classifyCreateSession(created?.Result ?? 0);
    if (refused || !created?.SessionID) {
      const err = refused ?? classifyCreateSession(0)!;
      if (err.kind === "systemic") this.authFailure = err;
      throw err;
    }
    const id = created.SessionID;
    const groups = await this.read<IloqLockGroup[]>(await this.send(base, "GET", "LockGroups", {}, id));
    const group = groups.find((g) => g.LockGroup_ID === this.options.lockGroupId);
    if (!group) throw new DriverError("systemic", MESSAGES.lockGroup, { vendorSignal: "LockGroups" });
    await this.read(
      await this.send(base, "POST", "SetLockgroup", { body: { LockGroup_ID: group.LockGroup_ID } }, id),
    );
    const timeZone = resolveTimeZone(group.TimeZoneStandardName, this.options.timeZone);
    const session = { id, base, timeZone, lastUsed: this.clock.now().getTime() };
    this.session = session;
    return session;
  }

  private async send(
    base: string,
    method: string,
    path: string,
    opts: CallOptions,
    sessionId: string | null,
  ) {
    const url = new URL(`${base}/api/v2/${path}`);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      for (const one of Array.isArray(v) ? v : [v]) url.searchParams.append(k, one);
    }
    const headers: Record<string, string> = { accept: "application/json" };
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    if (sessionId) headers.SessionId = sessionId;
    if (this.secrets.apiKey) headers["x-api-key"] = this.secrets.apiKey;
    this.counter.requests += 1;
    try {
      const res = await fetch(url, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
      return { status: res.status, text: await res.text(), retryAfter: res.headers.get("retry-after") };
    } catch (err) {
      throw classifyNetworkError(err);
    }
  }

  private read<T>(res: { status: number; text: string; retryAfter: string | null }): T {
    if (res.status >= 200 && res.status < 300) {
      if (!res.text) return undefined as T;
      try {
        return JSON.parse(res.text) as T;
      } catch {
        return res.text as T;
      }
    }
    let message = "";
    try {
      message = String((JSON.parse(res.text) as { Message?: unknown })?.Message ?? "");
    } catch {
      message = "";
    }
    throw classifyHttpStatus(res.status, message, retryAfterMs(res.retryAfter, this.clock.now()));
  }
}
