// The fake's fault script (§6.1 "Fault-injection menu"): latency, resets, 5xx, 429, session expiry.

export interface FaultRule {
  /** HTTP method to match (any when absent). */
  method?: string;
  /** Case-insensitive substring of the path after /api/v2/ (any when absent). */
  path?: string;
  /** How many matching requests the rule affects (default 1). */
  times?: number;
  latencyMs?: number;
  /** Answer with this status (e.g. 500, 502, 503, 429) instead of running the endpoint. */
  status?: number;
  /** With status 429: the Retry-After header in seconds. */
  retryAfterSeconds?: number;
  /** Destroy the connection without an answer (ECONNRESET at the client). */
  reset?: boolean;
  /** Apply the request, then hold the answer back this long (a timeout after a committed write). */
  holdAnswerMs?: number;
  /** Expire the caller's session just before this request (mid-flow session expiry). */
  expireSession?: boolean;
}

/** Takes the first rule matching the request and counts it down; returns null when none applies. */
export function takeFault(rules: FaultRule[], method: string, path: string): FaultRule | null {
  const lower = path.toLowerCase();
  const i = rules.findIndex(
    (r) =>
      (!r.method || r.method.toUpperCase() === method) && (!r.path || lower.includes(r.path.toLowerCase())),
  );
  if (i < 0) return null;
  const rule = rules[i]!;
  const left = (rule.times ?? 1) - 1;
  if (left <= 0) rules.splice(i, 1);
  else rules[i] = { ...rule, times: left };
  return rule;
}
