// Serialises the writes for one holder inside a driver instance (contract obligation 7): calls for the
// same key run one after another, calls for different keys run in parallel.
export async function withHolderLock<T>(
  locks: Map<string, Promise<unknown>>,
  key: string,
  fn: () => Promise<T>,
): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  locks.set(key, tail);
  try {
    return await run;
  } finally {
    // Drop the entry once nobody queued behind us, so the map does not grow with every holder ever seen.
    if (locks.get(key) === tail) locks.delete(key);
  }
}
