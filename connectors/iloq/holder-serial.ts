// One writer per key holder (contract obligation 7): iLOQ replaces a key's whole rights set per call
// (key-systems.md §2.7, HelloID runs with concurrency 1), so writes for one person run one at a time.
export class HolderSerial {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(holderId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(holderId) ?? Promise.resolve();
    const run = previous.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.tails.set(holderId, tail);
    try {
      return await run;
    } finally {
      if (this.tails.get(holderId) === tail) this.tails.delete(holderId);
    }
  }
}
