// The reference implementation of the driver contract over the simulated MemoryKeySystem: look up
// before create, declarative diffs, one re-login on session expiry, honest effects, one classifier.
import { DriverError, isDriverError } from "../../src/drivers/driver-error";
import type {
  CatalogEntry,
  ChangeResult,
  CredentialSpec,
  CredentialState,
  DriverCapabilities,
  DriverDeps,
  DriverEvent,
  EventPage,
  GrantSpec,
  HealthStatus,
  HolderRef,
  HolderSpec,
  KeySystemDriver,
  Observation,
  OperationContext,
  RevokeReason,
  WebhookRequest,
} from "../../src/drivers/key-system-driver";
import type { MemoryKeySystem } from "./memory-key-system";
import { MemoryFaultScript } from "./memory-fault-script";
import type { MemoryOperation, MemoryOptions } from "./memory-options";
import type { SimHolder, SimState } from "./memory-state";
import { classifyMemoryFault, VendorFault } from "./memory-vendor-fault";
import type { SimTiming } from "./memory-vendor-ops";
import * as ops from "./memory-vendor-ops";
import {
  foreignGrants,
  isActiveCredential,
  sameGrants,
  toCredentialState,
  summariseOutcomes,
  type CredentialOutcome,
  bridgeGrants,
} from "./memory-credential-view";
import { withHolderLock } from "../../src/drivers/with-holder-lock";
import { MemoryVendorClient } from "./memory-vendor-client";
import {
  parseWebhookBody,
  SeenDeliveries,
  SIGNATURE_HEADER,
  verifyWebhookSignature,
  WEBHOOK_MAX_AGE_MS,
} from "./memory-webhook";

const MSG = {
  noWebhooks: "memory driver does not receive webhooks",
  badSignature: "memory driver webhook signature mismatch",
  badWebhook: "memory driver webhook body malformed",
  badCursor: "memory driver event cursor is invalid",
  internal: "memory driver internal failure",
} as const;

const EVENT_PAGE = 100;

const holderFields = (spec: HolderSpec): Omit<SimHolder, "holderId"> => ({ ...spec });

export class MemoryDriver implements KeySystemDriver {
  readonly driver = "memory";
  private readonly client: MemoryVendorClient;
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly script: MemoryFaultScript;
  private readonly seen = new SeenDeliveries();

  constructor(
    readonly systemId: string,
    /** The simulated vendor; public so tests and the demo reach its control plane and journal. */
    readonly keySystem: MemoryKeySystem,
    private readonly options: MemoryOptions,
    private readonly deps: DriverDeps,
    /** The secret webhooks are signed with; undefined = webhooks are not accepted. */
    private readonly webhookSecret?: string,
  ) {
    this.script = new MemoryFaultScript(options.faults);
    this.client = new MemoryVendorClient(keySystem, options.requestTimeoutMs);
  }

  describe(): DriverCapabilities {
    return {
      remoteReturn: true,
      remoteBlock: true,
      perKeyGrants: true,
      schedules: true, // stores each grant's weekly schedule and reports it back (observe)
      webhooks: this.webhookSecret !== undefined,
      requiresPhysicalHandover: false,
      validityWindows: true,
      maxGrantsPerCredential: null,
    };
  }

  async healthCheck(): Promise<HealthStatus> {
    try {
      await this.run("healthCheck", () => this.call("health", false, () => true));
      return { status: "ok", vendorVersion: "memory-1" };
    } catch (err) {
      return { status: "down", detail: isDriverError(err) ? err.code : MSG.internal };
    }
  }

  listGrantCatalog(): Promise<CatalogEntry[]> {
    return this.run("listGrantCatalog", () => this.call("catalog", false, () => this.options.catalog));
  }

  observe(externalId: string): Promise<Observation> {
    return this.run("observe", async () => {
      const found = await this.call("findHolder", false, (s) => ops.holderWithCredentials(s, externalId));
      if (!found) return { holder: null, credentials: [], foreignGrants: [] };
      return {
        holder: { holderId: found.holder.holderId, externalId },
        credentials: found.credentials.map(toCredentialState),
        foreignGrants: found.credentials.flatMap((c) => foreignGrants(c.planned)),
      };
    });
  }

  upsertHolder(spec: HolderSpec, _ctx?: OperationContext): Promise<{ holder: HolderRef; created: boolean }> {
    return this.run("upsertHolder", () =>
      withHolderLock(this.locks, `ext:${spec.externalId}`, async () => {
        // Look up by our external id first: a create that timed out may have been applied (obligation 3).
        const existing = await this.call("findHolder", false, (s) => ops.findHolders(s, spec.externalId)[0]);
        const fields = holderFields(spec);
        if (existing) {
          if (!sameHolder(existing, fields)) {
            await this.call("updateHolder", true, (s) => ops.updateHolder(s, existing.holderId, fields));
          }
          return { holder: { holderId: existing.holderId, externalId: spec.externalId }, created: false };
        }
        const made = await this.call("createHolder", true, (s) => ops.createHolder(s, fields));
        return { holder: { holderId: made.holderId, externalId: spec.externalId }, created: true };
      }),
    );
  }

  deactivateHolder(holder: HolderRef, at: string, _ctx?: OperationContext): Promise<ChangeResult> {
    return this.run("deactivateHolder", () =>
      withHolderLock(this.locks, holder.holderId, async () => {
        const current = await this.call("getHolder", false, (s) => s.holders[holder.holderId]);
        if (current && current.employmentEnd !== at) {
          await this.call("updateHolder", true, (s) =>
            ops.updateHolder(s, holder.holderId, { employmentEnd: at }),
          );
        }
        return { effect: current ? "applied" : "effective", manualTasks: [] };
      }),
    );
  }

  issueCredential(
    holder: HolderRef,
    spec: CredentialSpec,
    _ctx?: OperationContext,
  ): Promise<ChangeResult & { credentialId: string }> {
    return this.run("issueCredential", () =>
      withHolderLock(this.locks, holder.holderId, async () => {
        const creds = await this.call("listCredentials", false, (s) =>
          ops.holderCredentials(s, holder.holderId),
        );
        // Idempotent by (holder, kind, serial): a retried issue returns the credential made the first time.
        let cred = creds.find(
          (c) => isActiveCredential(c) && c.kind === spec.kind && c.serial === spec.serial,
        );
        if (!cred) {
          cred = await this.call("createCredential", true, (s, t) => {
            const made = ops.createCredential(s, holder.holderId, spec.kind, t);
            if (spec.serial !== undefined) made.serial = spec.serial;
            return made;
          });
        }
        const state = toCredentialState(cred);
        return {
          credentialId: cred.credentialId,
          effect: state.effect,
          ...(state.exposureUntil ? { exposureUntil: state.exposureUntil } : {}),
          manualTasks: [],
        };
      }),
    );
  }

  setGrants(holder: HolderRef, desired: GrantSpec[], _ctx?: OperationContext): Promise<ChangeResult> {
    return this.run("setGrants", () =>
      withHolderLock(this.locks, holder.holderId, async () => {
        const creds = (
          await this.call("listCredentials", false, (s) => ops.holderCredentials(s, holder.holderId))
        ).filter(isActiveCredential);
        if (creds.length === 0) {
          if (desired.length === 0) return { effect: "effective", manualTasks: [] };
          return {
            effect: "manual_action_required",
            manualTasks: [{ kind: "hand_out_credential", reason: "holder has no active credential" }],
          };
        }
        const results: CredentialOutcome[] = [];
        for (const c of creds) {
          let current = c;
          if (!sameGrants(bridgeGrants(c.planned), desired)) {
            current = await this.call("putGrants", true, (s, t) =>
              ops.putBridgeGrants(s, c.credentialId, desired, this.changeable, t),
            );
          }
          const state = toCredentialState(current);
          results.push({ credentialId: c.credentialId, effect: state.effect, exposure: state.exposureUntil });
        }
        return summariseOutcomes(results);
      }),
    );
  }

  revokeCredential(
    credentialId: string,
    reason: RevokeReason,
    _ctx?: OperationContext,
  ): Promise<ChangeResult> {
    return this.run("revokeCredential", async () => {
      const cred = await this.call("getCredential", false, (s) => s.credentials[credentialId]);
      // Revoking what is absent succeeds and changes nothing (obligation 2).
      if (!cred) return { effect: "effective", manualTasks: [] };
      return withHolderLock(this.locks, cred.holderId, async () => {
        const block = reason === "lost" || reason === "stolen" || reason === "broken";
        const done = block ? cred.status === "lost" || cred.status === "blocked" : !isActiveCredential(cred);
        const after = done
          ? cred
          : await this.call(block ? "blockCredential" : "returnCredential", true, (s, t) =>
              block
                ? ops.blockCredential(s, credentialId, reason, t)
                : ops.returnCredential(s, credentialId, t),
            );
        const state = toCredentialState(after);
        return summariseOutcomes([{ credentialId, effect: state.effect, exposure: state.exposureUntil }]);
      });
    });
  }

  removeHolder(holder: HolderRef, _ctx?: OperationContext): Promise<ChangeResult & { removed: boolean }> {
    return this.run("removeHolder", () =>
      withHolderLock(this.locks, holder.holderId, async () => {
        const exists = await this.call("getHolder", false, (s) => s.holders[holder.holderId] !== undefined);
        if (!exists) return { effect: "effective", manualTasks: [], removed: false };
        const removed = await this.call("deleteHolder", true, (s) => ops.deleteHolder(s, holder.holderId));
        return { effect: "effective", manualTasks: [], removed };
      }),
    );
  }

  getCredentialState(credentialId: string): Promise<CredentialState | null> {
    return this.run("getCredentialState", async () => {
      const cred = await this.call("getCredential", false, (s) => s.credentials[credentialId]);
      return cred ? toCredentialState(cred) : null;
    });
  }

  pullEvents(cursor: string | null): Promise<EventPage> {
    return this.run("pullEvents", async () => {
      const after = cursor === null ? 0 : Number(cursor);
      if (!Number.isInteger(after) || after < 0) throw new DriverError("permanent", MSG.badCursor);
      const events = await this.call("events", false, (s) => ops.eventsAfter(s, after, EVENT_PAGE));
      const last = events.at(-1);
      return {
        events: events.map(({ seq: _seq, ...e }): DriverEvent => e),
        nextCursor: String(last ? last.seq : after),
      };
    });
  }

  async handleWebhook(req: WebhookRequest): Promise<DriverEvent[]> {
    // Without a secret (describe().webhooks false) any delivery is refused, never trusted.
    if (this.webhookSecret === undefined) throw new DriverError("permanent", MSG.noWebhooks);
    if (!verifyWebhookSignature(this.webhookSecret, req.rawBody, req.headers[SIGNATURE_HEADER])) {
      throw new DriverError("permanent", MSG.badSignature, { vendorSignal: "signature mismatch" });
    }
    const body = parseWebhookBody(req.rawBody);
    if (!body) throw new DriverError("permanent", MSG.badWebhook);
    const age = this.deps.clock.now().getTime() - Date.parse(body.createdAt);
    // A stale or repeated delivery is ignored, not an error: the vendor may legitimately retry it.
    if (!(age <= WEBHOOK_MAX_AGE_MS) || !this.seen.firstTime(body.deliveryId)) return [];
    return body.events;
  }

  async close(): Promise<void> {
    await this.keySystem.close();
  }

  // --- plumbing -----------------------------------------------------------------------------

  private readonly changeable = (vendorRef: string) =>
    this.options.catalog.find((e) => e.vendorRef === vendorRef)?.changeable;

  /** Runs one public operation: scripted faults first, then only DriverError leaves (obligation 4). */
  private async run<T>(operation: MemoryOperation, fn: () => Promise<T>): Promise<T> {
    const scripted = this.script.take(operation);
    if (scripted) throw scripted;
    try {
      return await fn();
    } catch (err) {
      if (isDriverError(err)) throw err;
      if (err instanceof VendorFault) throw classifyMemoryFault(err);
      this.deps.logger.error({ err, systemId: this.systemId, operation }, MSG.internal);
      throw new DriverError("retryable", MSG.internal, { cause: err });
    }
  }

  private call<T>(name: string, mutating: boolean, op: (s: SimState, t: SimTiming) => T): Promise<T> {
    return this.client.call(name, mutating, op);
  }
}

function sameHolder(a: SimHolder, b: Omit<SimHolder, "holderId">): boolean {
  const keys = ["displayName", "firstName", "lastName", "email", "phone", "employmentEnd", "scope"] as const;
  return keys.every((k) => a[k] === b[k]);
}
