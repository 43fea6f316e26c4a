// The options' fault script: lets pipeline tests make a named driver operation fail N times with a
// chosen DriverError kind, without a vendor fake (counts are per driver instance).
import { DriverError } from "../../src/drivers/driver-error";
import type { MemoryFaultStep, MemoryOperation } from "./memory-options";

const MSG_SCRIPTED = "memory driver scripted fault";

export class MemoryFaultScript {
  private readonly steps: MemoryFaultStep[];

  constructor(steps: MemoryFaultStep[]) {
    this.steps = steps.map((s) => ({ ...s }));
  }

  /** The scripted error for this call of `operation`, if one is still due (and counts it down). */
  take(operation: MemoryOperation): DriverError | undefined {
    const step = this.steps.find((f) => f.operation === operation && f.count > 0);
    if (!step) return undefined;
    step.count--;
    return new DriverError(step.kind, MSG_SCRIPTED, {
      vendorSignal: "scripted",
      ...(step.retryAfterMs !== undefined ? { retryAfterMs: step.retryAfterMs } : {}),
    });
  }
}
