// Enqueues what waited for key systems that now have connection settings (start-up and mapping
// reload): each system's deferred outbox (enqueue-reconcile.ts) is drained onto its queue.
import { drainDeferred } from "../reconcile/enqueue-reconcile";
import type { Core } from "./build-core";

export const RELEASE_LOG = {
  released: "key system is configured: enqueued the persons changed while it was not",
  failed: "enqueueing a key system's deferred persons failed; they stay deferred until the next start",
} as const;

/** Never rejects: the outbox keeps whatever could not be enqueued. */
export async function releaseDeferred(core: Core, systems: string[], correlationId: string): Promise<number> {
  let total = 0;
  for (const system of systems.filter(core.configured)) {
    try {
      let count = 0;
      for (const tenant of await core.tenants())
        count += await drainDeferred(core, tenant, system, correlationId);
      if (count > 0) core.logger.info({ system, count }, RELEASE_LOG.released);
      total += count;
    } catch (err) {
      core.logger.error({ err, system }, RELEASE_LOG.failed);
    }
  }
  return total;
}
