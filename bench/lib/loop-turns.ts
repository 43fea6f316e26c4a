// The main thread's own CPU time per event-loop turn, for bench:stall: on a loaded machine (2 cores
// shared by many processes) a block's wall time is mostly waiting for a core, which says nothing about
// the request; the CPU time the thread spent in that turn is the work the request made the loop do.
// Linux only (/proc/self/task/<pid>/schedstat: nanoseconds on a CPU); elsewhere the figures are NaN.
// The kernel brings that figure up to date at each scheduler tick or switch, not at the read, so one
// gap's figure can be low by up to a tick (4 ms at CONFIG_HZ=250, this machine's kernel).
import { readFileSync } from "node:fs";

/** One gap between two ticks of a 1 ms timer: µs of CLOCK_MONOTONIC (a CPU profile's clock). */
export interface LoopGap {
  start: number;
  end: number;
  /** The main thread's CPU µs within the gap. */
  threadCpu: number;
}

const STAT = `/proc/self/task/${process.pid}/schedstat`;

function threadCpuMicros(): number {
  try {
    return Number(readFileSync(STAT, "utf8").split(" ")[0]) / 1000;
  } catch {
    return Number.NaN;
  }
}

const monotonicMicros = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Ticks every millisecond, like monitorEventLoopDelay's timer, so a gap between ticks is a block as the
 * histogram sees it (several short turns between two ticks count as one: an upper bound).
 */
export class LoopTurns {
  /** Most main-thread CPU ms in one gap since take(). */
  private worstCpuMs = 0;
  /** Gaps over `keepOverMs` wall, for matching with a CPU profile. */
  readonly kept: LoopGap[] = [];
  private last = monotonicMicros();
  private lastCpu = threadCpuMicros();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly keepOverMs = Number.POSITIVE_INFINITY) {
    this.timer = setInterval(() => this.tick(), 1);
  }

  /** The worst since the last take() (closing the gap open now), and a fresh start. */
  take(): number {
    this.tick();
    const worst = this.worstCpuMs;
    this.worstCpuMs = 0;
    return worst;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    const now = monotonicMicros();
    const cpu = threadCpuMicros();
    const gap = { start: this.last, end: now, threadCpu: cpu - this.lastCpu };
    this.worstCpuMs = Math.max(this.worstCpuMs, gap.threadCpu / 1000);
    if (now - this.last > this.keepOverMs * 1000) this.kept.push(gap);
    this.last = now;
    this.lastCpu = cpu;
  }
}
