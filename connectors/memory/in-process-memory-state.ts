// The default state store: one object in this process; `transact` is atomic because `fn` is synchronous.
import { emptySimState, type MemoryStateStore, type SimState } from "./memory-state";

export class InProcessMemoryState implements MemoryStateStore {
  private readonly state: SimState = emptySimState();

  async transact<T>(fn: (state: SimState) => T): Promise<T> {
    return fn(this.state);
  }

  async read<T>(fn: (state: SimState) => T): Promise<T> {
    // A deep copy, so a reader can never change the simulated vendor behind its back.
    return fn(structuredClone(this.state));
  }

  async close(): Promise<void> {}
}
