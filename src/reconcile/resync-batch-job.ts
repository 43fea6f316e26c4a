// The full resync's batch job: several persons of one tenant per BullMQ job, so a converged person
// costs a share of one job and of a few Redis round trips instead of a job and five round trips alone.
import { PRIORITY } from "./reconcile-job";

/** Job name in a key system's reconcile queue (beside JOB_NAMES in reconcile-job.ts). */
export const RESYNC_BATCH_JOB = "reconcile-batch";

/** At resync priority: revocations (1) and change-triggered reconciles (5) overtake every batch. */
export const RESYNC_BATCH_PRIORITY = PRIORITY.resync;

export interface ResyncBatchJobData {
  tenant: string;
  personIds: string[];
  trigger: "resync";
  correlationId: string;
}

/** How a key system's full resync is batched (config reconcile.resyncBatchSize / resyncObserveParallelism). */
export interface ResyncBatchSettings {
  /** Persons per batch job; 1 means the resync enqueues one reconcile per person, as before batches. */
  persons: number;
  /** Driver observe calls a batch has in flight at once. */
  observeParallelism: number;
}

export const DEFAULT_RESYNC_BATCH: ResyncBatchSettings = { persons: 100, observeParallelism: 8 };

/** Cuts a page of person ids into batches of at most `size`. Pure. */
export function chunkPersons(ids: string[], size: number): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}
