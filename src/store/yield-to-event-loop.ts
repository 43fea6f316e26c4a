// Lets timers and other requests run between the synchronous stages of one big request (issue #9 item 3:
// at the configured limits one request blocks the event loop for at most 50 ms). Only the JavaScript
// preparation is split this way; each Redis write stays one script call, so atomicity is unchanged.

/**
 * Resolves after the event loop has passed its timers and I/O poll phases once. One setImmediate is not
 * enough: queued from an I/O callback (where an awaited Redis reply resumes us) it runs in the same
 * turn's check phase, before any timer or other socket; one queued from the check phase waits for the
 * next turn (Node.js docs, "The Node.js Event Loop", setImmediate vs setTimeout).
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** Item count from which a list's stage is worth a yield; smaller lists cost well under a millisecond. */
export const YIELD_FROM_ITEMS = 1_000;

/** Longest stretch of work a sliced stage runs before it yields: well under the 50 ms target. */
export const SLICE_MS = 5;

/**
 * Splits a long stage into stretches of at most about `SLICE_MS`: call `pause()` between small units
 * of work; it yields only when the current stretch has run long enough, so cheap stages cost no turns.
 */
export class TimeSlicer {
  private started = performance.now();

  constructor(private readonly budgetMs = SLICE_MS) {}

  /** True when the current stretch has used up its budget (the caller should `await pause()`). */
  due(): boolean {
    return performance.now() - this.started >= this.budgetMs;
  }

  async pause(): Promise<void> {
    if (!this.due()) return;
    await yieldToEventLoop();
    this.started = performance.now();
  }
}

/** Items handled between two looks at the clock by forEachInSlices. */
const ITEMS_PER_LOOK = 1024;

/**
 * Runs `fn` over `items` in order, yielding whenever the slicer's stretch is used up: for per-item work
 * on lists as long as an Okta full push (200,000 members), which takes hundreds of milliseconds.
 */
export async function forEachInSlices<T>(
  items: readonly T[],
  fn: (item: T) => void,
  slicer = new TimeSlicer(),
): Promise<void> {
  for (let i = 0; i < items.length; i++) {
    if (i % ITEMS_PER_LOOK === ITEMS_PER_LOOK - 1) await slicer.pause();
    fn(items[i] as T);
  }
}
