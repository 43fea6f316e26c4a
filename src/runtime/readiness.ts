// /readyz: whether this process can do its job now — Redis answers, the workers run when this process
// has the worker role, and no key system's queue is paused (systemic vendor error). /healthz only says
// the process is up and its event loop answers (a restart would not help with any of the above).
import type { RedisClient } from "../store/create-redis-client";
import type { ReconcileQueues } from "../reconcile/reconcile-queues";

export interface ReadinessReport {
  ready: boolean;
  redis: "ok" | "unreachable";
  /** null: this process has no worker role. */
  workers: "running" | "stopped" | null;
  pausedSystems: string[];
}

export interface ReadinessDeps {
  redis: RedisClient;
  queues: ReconcileQueues;
  /** Set only when this process runs the workers. */
  workersRunning?: () => boolean;
}

/** Pure: ready when every check passes. */
export function decideReadiness(checks: Omit<ReadinessReport, "ready">): ReadinessReport {
  const ready = checks.redis === "ok" && checks.workers !== "stopped" && checks.pausedSystems.length === 0;
  return { ready, ...checks };
}

export async function checkReadiness(deps: ReadinessDeps): Promise<ReadinessReport> {
  const workers = deps.workersRunning ? (deps.workersRunning() ? "running" : "stopped") : null;
  try {
    await deps.redis.ping();
    const systems = deps.queues.systems();
    const paused = await Promise.all(systems.map((s) => deps.queues.queue(s).isPaused()));
    return decideReadiness({ redis: "ok", workers, pausedSystems: systems.filter((_, i) => paused[i]) });
  } catch {
    return decideReadiness({ redis: "unreachable", workers, pausedSystems: [] });
  }
}
