// Reads Microsoft Graph with a bearer token from msal-node: never sends a request to any origin but the
// configured Graph base URL (so the token cannot leak through a crafted link), honours Retry-After on 429
// and 503 (https://learn.microsoft.com/graph/throttling), and classifies "start the delta over" answers.
import { GraphError } from "./graph-error";

export interface GraphClientOptions {
  /** Origin of Microsoft Graph, e.g. https://graph.microsoft.com. */
  baseUrl: string;
  token: () => Promise<string>;
  /** Waits `ms` (or less if aborted); injected so tests and shutdown need not sit out a Retry-After. */
  sleep: (ms: number) => Promise<void>;
  /** Attempts per request while Graph answers 429/503/5xx (default 6). */
  attempts?: number;
}

/** Without Retry-After Graph asks for exponential back-off; these bound it. */
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 60_000;
/** A Retry-After beyond this is treated as an outage: the round fails and the next tick retries. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** Retry-After as delay-seconds or an HTTP-date (RFC 9110 §10.2.3), in ms; null when absent or bad. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (value === null || value.trim() === "") return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** Expired or reset delta state (Graph: 410 Gone, or 400 syncStateNotFound / resyncRequired). */
function isSyncReset(status: number, code: string | undefined): boolean {
  if (status === 410) return true;
  return status === 400 && (code === "syncStateNotFound" || code === "resyncRequired");
}

export class GraphClient {
  private readonly origin: string;

  constructor(private readonly options: GraphClientOptions) {
    this.origin = new URL(options.baseUrl).origin;
  }

  /** The absolute URL of a Graph path on the configured origin. */
  url(pathAndQuery: string): string {
    return `${this.origin}${pathAndQuery}`;
  }

  /** Refuses any link whose origin is not the configured Graph origin, before anything is sent. */
  checkOrigin(link: string): void {
    let origin: string;
    try {
      origin = new URL(link).origin;
    } catch {
      throw new GraphError("ForeignLink", "Graph returned a link that is not a URL");
    }
    if (origin !== this.origin)
      throw new GraphError("ForeignLink", "Graph returned a link to another origin; refused", undefined);
  }

  async getJson(link: string, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
    this.checkOrigin(link);
    const attempts = this.options.attempts ?? 6;
    for (let attempt = 1; ; attempt++) {
      const res = await this.send(link, headers);
      if (res.ok) return (await res.json()) as Record<string, unknown>;
      const body = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
      if (isSyncReset(res.status, body.error?.code))
        throw new GraphError("SyncReset", "Graph asked for a full resync of the delta", res.status);
      const retryable = res.status === 429 || res.status >= 500;
      if (!retryable || attempt >= attempts)
        throw new GraphError("RequestFailed", `Graph answered ${res.status}`, res.status);
      const asked = parseRetryAfter(res.headers.get("retry-after"), Date.now());
      if (asked !== null && asked > MAX_RETRY_AFTER_MS)
        throw new GraphError("RequestFailed", `Graph asked to wait ${asked} ms`, res.status);
      await this.options.sleep(asked ?? Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (attempt - 1)));
    }
  }

  private async send(link: string, headers: Record<string, string>): Promise<Response> {
    let token: string;
    try {
      token = await this.options.token();
    } catch (err) {
      throw new GraphError("AuthFailed", "no Graph token from Entra", undefined, { cause: err });
    }
    try {
      return await fetch(link, {
        headers: { ...headers, authorization: `Bearer ${token}` },
        redirect: "manual",
      });
    } catch (err) {
      throw new GraphError("RequestFailed", "Graph did not answer", undefined, { cause: err });
    }
  }
}
