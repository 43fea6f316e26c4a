// The driver's connection to the simulated vendor: one shared session, the request timeout, and a
// single re-login when the vendor says the session expired (key-systems.md §5 SessionExpired).
import type { MemoryKeySystem } from "./memory-key-system";
import type { SimState } from "./memory-state";
import { VendorFault } from "./memory-vendor-fault";
import type { SimTiming } from "./memory-vendor-ops";

export class MemoryVendorClient {
  private session: Promise<string> | undefined;

  constructor(
    private readonly keySystem: MemoryKeySystem,
    private readonly requestTimeoutMs: number,
  ) {}

  /** One vendor request; an expired session is renewed once and the request sent once more. */
  async call<T>(name: string, mutating: boolean, op: (s: SimState, t: SimTiming) => T): Promise<T> {
    const session = this.login();
    try {
      return await this.withTimeout(this.keySystem.request(name, mutating, await session, op));
    } catch (err) {
      if (!(err instanceof VendorFault) || err.reason !== "session") throw err;
      // Only the caller holding the failed session drops it: concurrent callers share one re-login.
      if (this.session === session) this.session = undefined;
      return await this.withTimeout(this.keySystem.request(name, mutating, await this.login(), op));
    }
  }

  /** At most one login in flight; a rejected login is not retried here (vendor lockout, obligation 4). */
  private login(): Promise<string> {
    if (!this.session) {
      const pending = this.keySystem.login();
      this.session = pending;
      pending.catch(() => {
        if (this.session === pending) this.session = undefined;
      });
    }
    return this.session;
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new VendorFault("timeout", 0)), this.requestTimeoutMs);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }
}
