// The CLIQ fake's fault script and request journal (key-systems.md §6 "inject faults", "read the request
// journal"); fault semantics follow the shared Fault type of test/contract/contract-harness.ts.
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Fault, JournalEntry } from "../../contract/contract-harness";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

type CountedFault = Extract<Fault, { times: number }>;

export class FaultScript {
  latencyMs = 0;
  badCredentials = false;
  private readonly counted: CountedFault[] = [];
  private readonly held: Array<{ pathContains: string; delayMs: number }> = [];
  /** Called on session_expiry: CLIQ has no session, so the fake ends its idle TLS connections instead. */
  onSessionExpiry: () => void = () => {};

  inject(fault: Fault): void {
    switch (fault.kind) {
      case "latency":
        this.latencyMs = fault.ms;
        return;
      case "session_expiry":
        this.onSessionExpiry();
        return;
      case "timeout_after_commit":
        this.held.push({ pathContains: fault.pathContains.toLowerCase(), delayMs: fault.delayMs });
        return;
      case "bad_credentials":
        this.badCredentials = true;
        return;
      default:
        this.counted.push({ ...fault });
    }
  }

  clear(): void {
    this.latencyMs = 0;
    this.badCredentials = false;
    this.counted.length = 0;
    this.held.length = 0;
  }

  /** The next counted fault for this request, consumed in injection order. */
  take(): CountedFault | undefined {
    const fault = this.counted[0];
    if (!fault) return undefined;
    fault.times -= 1;
    if (fault.times <= 0) this.counted.shift();
    return fault;
  }

  /** Only a request that changes state can be "applied, answer held back"; reads pass untouched. */
  takeHeld(method: string, path: string): number | undefined {
    if (!MUTATING.has(method)) return undefined;
    const i = this.held.findIndex((h) => path.toLowerCase().includes(h.pathContains));
    if (i < 0) return undefined;
    const [held] = this.held.splice(i, 1);
    return held?.delayMs;
  }
}

/** Records every vendor-surface request with the status it got (none when the connection was reset). */
export function journalMiddleware(journal: JournalEntry[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const path = req.baseUrl + req.path;
    const entry: JournalEntry = { method: req.method, path, mutating: MUTATING.has(req.method) };
    journal.push(entry);
    res.on("finish", () => {
      entry.status = res.statusCode;
    });
    next();
  };
}

/** Applies latency, counted faults and held answers, before the route runs (or around it, when held). */
export function faultMiddleware(faults: FaultScript): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    const fault = faults.take();
    if (fault?.kind === "reset") {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === "status") {
      const code = fault.status === 503 ? "maintenance" : "server_error";
      res.status(fault.status).json({ code, message: "injected fault" });
      return;
    }
    if (fault?.kind === "rate_limit") {
      res.setHeader("Retry-After", String(fault.retryAfterSeconds));
      res.status(429).json({ code: "rate_limited", message: "too many requests" });
      return;
    }
    const holdMs = faults.takeHeld(req.method, req.baseUrl + req.path);
    if (holdMs !== undefined) holdAnswer(res, holdMs);
    next();
  };
}

/** The request is applied now; its answer leaves only after `ms` (a client timeout hits first). */
function holdAnswer(res: Response, ms: number): void {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  (res as unknown as { end: (...args: unknown[]) => Response }).end = (...args: unknown[]) => {
    setTimeout(() => {
      if (!res.socket?.destroyed) end(...args);
    }, ms).unref();
    return res;
  };
}

/**
 * Token buckets per API user, on the fake's clock (advanceClock refills them). No CWM rate limit is
 * documented (key-systems.md §4.2); this is the conventional 429 + Retry-After of §6.2 [inf].
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Seconds to wait, or 0 when a token was taken. */
  take(who: string, limit: { burst: number; perSecond: number }, nowMs: number): number {
    const b = this.buckets.get(who) ?? { tokens: limit.burst, at: nowMs };
    b.tokens = Math.min(limit.burst, b.tokens + ((nowMs - b.at) / 1000) * limit.perSecond);
    b.at = nowMs;
    this.buckets.set(who, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / limit.perSecond));
  }
}
