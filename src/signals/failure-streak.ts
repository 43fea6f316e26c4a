// When a signal that keeps failing is given up on, so it cannot hold up every leaver behind it. Shared by
// the hook inbox (signal-inbox.ts) and the polling channels (set-aside-hopeless.ts): a signal is hopeless
// after MAX_ATTEMPTS failed applies in a row over at least `afterMs`. Retries come fast (every delivery,
// tick and page re-read retries), so a count alone would give up on a Redis blip; with Redis away,
// setting the signal aside fails too, so a real outage never dead-letters anything.

/** Consecutive failed applies of one signal before it is set aside. */
export const MAX_ATTEMPTS = 5;
/** How many set-aside signals each channel keeps for an operator. */
export const DEAD_KEPT = 1_000;
export const DEAD_LETTER_CODE = "BRIDGE_SIGNAL_DEAD_LETTERED";

/** The channel error `signals status` shows for a signal set aside. */
export function deadLetterError(eventId: string): string {
  return `${DEAD_LETTER_CODE} event ${eventId} after ${MAX_ATTEMPTS} failed applies`;
}

export class FailureStreak {
  private readonly failing = new Map<string, { attempts: number; sinceMs: number }>();

  constructor(private readonly afterMs = 10_000) {}

  /** Counts a failed apply of `what` (within `slot`: one streak per inbox or channel). True when hopeless. */
  fail(slot: string, what: string, nowMs: number): boolean {
    const key = `${slot}\0${what}`;
    const last = this.failing.get(key);
    // A different signal failing in the same slot starts a new streak: only a run on one signal counts.
    for (const other of this.failing.keys())
      if (other.startsWith(`${slot}\0`) && other !== key) this.failing.delete(other);
    const attempts = (last?.attempts ?? 0) + 1;
    const sinceMs = last?.sinceMs ?? nowMs;
    this.failing.set(key, { attempts, sinceMs });
    return attempts >= MAX_ATTEMPTS && nowMs - sinceMs >= this.afterMs;
  }

  /** The slot's signal applied (or was set aside): its streak ends. */
  clear(slot: string): void {
    for (const key of this.failing.keys()) if (key.startsWith(`${slot}\0`)) this.failing.delete(key);
  }
}
