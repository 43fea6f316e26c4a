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
