// Rate limits repeated identical warnings: bad input from a misbehaving client would otherwise write
// one log line per request. The first warning of a key is logged at once; later ones within the window
// are counted and the count rides on the next warning logged after the window.
import type { Logger } from "./logger";

interface Window {
  until: number;
  suppressed: number;
}

/** Keys come from a small set (status × scimType); the bound only guards against a bug. */
const MAX_KEYS = 1000;

export class WarnLimiter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly logger: Logger,
    private readonly windowMs: number = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Logs at warn unless `key` was logged less than windowMs ago; returns whether it logged. */
  warn(key: string, fields: Record<string, unknown>, message: string): boolean {
    const now = this.now();
    const window = this.windows.get(key);
    if (window && now < window.until) {
      window.suppressed++;
      return false;
    }
    const suppressed = window?.suppressed ?? 0;
    if (!window && this.windows.size >= MAX_KEYS) this.windows.clear();
    this.windows.set(key, { until: now + this.windowMs, suppressed: 0 });
    this.logger.warn(suppressed > 0 ? { ...fields, suppressed } : fields, message);
    return true;
  }
}
