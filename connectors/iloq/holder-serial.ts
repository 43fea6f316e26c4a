// One writer per key holder (contract obligation 7): iLOQ replaces a key's whole rights set per call
// (key-systems.md §2.7, HelloID runs with concurrency 1), so writes for one person run one at a time.
export class HolderSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs fn after earlier writes for the holder; `waited` tells fn whether its earlier reads may be stale. */
  async run<T>(holderId: string, fn: (waited: boolean) => Promise<T>): Promise<T> {
    const waiting = this.tails.get(holderId);
    const previous = waiting ?? Promise.resolve();
    const go = () => fn(waiting !== undefined);
    const run = previous.then(go, go);
    const tail = run.catch(() => undefined);
    this.tails.set(holderId, tail);
    try {
      return await run;
    } finally {
      if (this.tails.get(holderId) === tail) this.tails.delete(holderId);
    }
  }
}
