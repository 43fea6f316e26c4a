// The ASSA ABLOY CLIQ driver: bridge operations in terms of CWM persons, keys, access profiles and
// procedures (key-systems.md §1.2–1.3, §5). The wire format lives only in cwm-adapter.ts.
import type {
  CatalogEntry,
  ChangeResult,
  Clock,
  CredentialSpec,
  CredentialState,
  DriverCapabilities,
  EventPage,
  GrantSpec,
  HealthStatus,
  HolderRef,
  HolderSpec,
  KeySystemDriver,
  Observation,
  OperationContext,
  RevokeReason,
} from "../../src/drivers/key-system-driver";
import { DriverError, isDriverError } from "../../src/drivers/driver-error";
import type { Logger } from "../../src/log/logger";
import {
  credentialStateOf,
  cwmName,
  foreignGrantsOf,
  type IsManaged,
  type ScheduleBook,
} from "./cliq-access-plan";
import { readSchedules } from "./cliq-schedule-ops";
import { issueCliqKey, setCliqGrants } from "./cliq-key-ops";
import type { CliqSettings } from "./cliq-scope";
import { revokeCliqKey } from "./cliq-revoke";
import { toDriverEvent } from "./cliq-events";
import type { CliqTransport } from "./cliq-transport";
import { CwmAdapter } from "./cwm-adapter";
import type { CliqKey, CliqPersonInput } from "./cwm-records";
import { withHolderLock } from "../../src/drivers/with-holder-lock";

const MSG = {
  noWebhooks: "CLIQ has no documented webhooks",
  badCursor: "CLIQ event cursor is not a sequence number",
  notDeleted: "CLIQ person still holds keys",
  write: "CLIQ write requested",
} as const;

export class CliqDriver implements KeySystemDriver {
  readonly driver = "cliq";
  private readonly cwm: CwmAdapter;
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly isManaged: IsManaged;

  constructor(
    readonly systemId: string,
    private readonly options: CliqSettings,
    private readonly transport: CliqTransport,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    this.cwm = new CwmAdapter(transport, clock, options.externalLinkSystem);
    const managed = options.managedAccessProfileIds ? new Set(options.managedAccessProfileIds) : null;
    this.isManaged = (id) => (managed ? managed.has(id) : true);
  }

  describe(): DriverCapabilities {
    return {
      remoteReturn: false, // hand-in needs the physical key back at the desk (§1.3)
      remoteBlock: true, // report lost → cylinder blocklist jobs (§1.3)
      perKeyGrants: true,
      schedules: true,
      webhooks: false, // no CWM webhooks are documented (§1.1); events are pulled by cursor
      requiresPhysicalHandover: true,
      validityWindows: true, // key validity is enforced by the key itself (§1.2)
      maxGrantsPerCredential: this.options.maxGrantsPerCredential,
    };
  }

  async healthCheck(): Promise<HealthStatus> {
    try {
      return { status: "ok", vendorVersion: await this.cwm.version() };
    } catch (err) {
      const detail = isDriverError(err) ? (err.vendorSignal ?? err.kind) : "unexpected failure";
      return { status: "down", detail };
    }
  }

  async listGrantCatalog(): Promise<CatalogEntry[]> {
    const profiles = await this.cwm.profiles(this.options.domainId);
    return profiles.map((p) => ({
      vendorRef: p.id,
      name: p.name,
      changeable: this.isManaged(p.id),
      scope: p.domainId,
    }));
  }

  async observe(externalId: string): Promise<Observation> {
    const person = await this.cwm.findPersonByExternalId(externalId);
    if (!person) return { holder: null, credentials: [], foreignGrants: [] };
    const keys = await this.cwm.keysOfHolder(person.id);
    const book = await this.schedulesOf(keys);
    const credentials = await Promise.all(keys.map((k) => this.stateOf(k, book)));
    const foreignGrants = keys
      .filter((k) => k.status === "handed_out")
      .flatMap((k) => foreignGrantsOf(k.planned, this.isManaged));
    return { holder: { holderId: person.id, externalId }, credentials, foreignGrants };
  }

  private async stateOf(key: CliqKey, book: ScheduleBook): Promise<CredentialState> {
    const blocked = key.status === "lost" || key.status === "broken";
    const pending = blocked ? await this.cwm.pendingCylinderJobs(key.id) : 0;
    return credentialStateOf(key, this.isManaged, this.clock.now(), pending, book);
  }

  /** The schedule templates the keys carry (read only when some key carries one). */
  private async schedulesOf(keys: CliqKey[]): Promise<ScheduleBook> {
    const any = keys.some(
      (k) => k.planned.scheduleId !== null || (k.programmed?.scheduleId ?? null) !== null,
    );
    return any ? readSchedules(this.cwm) : new Map();
  }

  private personInput(spec: HolderSpec): CliqPersonInput {
    return {
      externalId: spec.externalId,
      ...cwmName(spec),
      email: spec.email,
      domainId: this.options.domainId,
    };
  }

  upsertHolder(spec: HolderSpec, ctx?: OperationContext): Promise<{ holder: HolderRef; created: boolean }> {
    this.trace("upsertHolder", ctx);
    return withHolderLock(this.locks, spec.externalId, async () => {
      const input = this.personInput(spec);
      // Look up by external link first, so a create that timed out and is retried finds its person.
      const found = await this.cwm.findPersonByExternalId(spec.externalId);
      if (!found) {
        const created = await this.cwm.createPerson(input);
        return { holder: { holderId: created.id, externalId: spec.externalId }, created: true };
      }
      const same =
        found.firstName === input.firstName &&
        found.lastName === input.lastName &&
        found.email === input.email;
      if (!same) await this.cwm.updatePerson(found.id, input);
      return { holder: { holderId: found.id, externalId: spec.externalId }, created: false };
    });
  }

  /** Leaver or fixed-term end: every handed-out key's validity ends at `at` (the key enforces it, §1.2). */
  deactivateHolder(holder: HolderRef, at: string, ctx?: OperationContext): Promise<ChangeResult> {
    this.trace("deactivateHolder", ctx, holder.holderId);
    return withHolderLock(this.locks, holder.externalId, () =>
      setCliqGrants(this.keyOpsContext(), holder, null, { validUntil: at }),
    );
  }

  issueCredential(
    holder: HolderRef,
    spec: CredentialSpec,
    ctx?: OperationContext,
  ): Promise<ChangeResult & { credentialId: string }> {
    this.trace("issueCredential", ctx, holder.holderId);
    return withHolderLock(this.locks, holder.externalId, () =>
      issueCliqKey(this.keyOpsContext(), holder, spec),
    );
  }

  setGrants(holder: HolderRef, desired: GrantSpec[], ctx?: OperationContext): Promise<ChangeResult> {
    this.trace("setGrants", ctx, holder.holderId);
    return withHolderLock(this.locks, holder.externalId, () =>
      setCliqGrants(this.keyOpsContext(), holder, desired),
    );
  }

  async revokeCredential(
    credentialId: string,
    reason: RevokeReason,
    ctx?: OperationContext,
  ): Promise<ChangeResult> {
    this.trace("revokeCredential", ctx, undefined, credentialId);
    const revoke = { cwm: this.cwm, clock: this.clock, isManaged: this.isManaged };
    return withHolderLock(this.locks, `key:${credentialId}`, () =>
      revokeCliqKey(revoke, credentialId, reason),
    );
  }

  removeHolder(holder: HolderRef, ctx?: OperationContext): Promise<ChangeResult & { removed: boolean }> {
    this.trace("removeHolder", ctx, holder.holderId);
    return withHolderLock(this.locks, holder.externalId, async () => {
      try {
        // Look first, so removing an absent holder sends no mutating request (natural idempotency).
        if (!(await this.cwm.person(holder.holderId)))
          return { effect: "effective", manualTasks: [], removed: false };
        const removed = await this.cwm.deletePerson(holder.holderId);
        return { effect: "effective", manualTasks: [], removed };
      } catch (err) {
        if (!isDriverError(err) || err.kind !== "manual_action") throw err;
        this.logger.info({ systemId: this.systemId, holderId: holder.holderId }, MSG.notDeleted);
        return {
          effect: "manual_action_required",
          manualTasks: [
            { kind: "hand_in_credential", reason: "hand in the holder's keys before the person is removed" },
          ],
          removed: false,
        };
      }
    });
  }

  async getCredentialState(credentialId: string): Promise<CredentialState | null> {
    const key = await this.cwm.key(credentialId);
    return key ? this.stateOf(key, await this.schedulesOf([key])) : null;
  }

  async pullEvents(cursor: string | null): Promise<EventPage> {
    const after = cursor === null ? 0 : Number(cursor);
    if (!Number.isSafeInteger(after) || after < 0) throw new DriverError("permanent", MSG.badCursor);
    const page = await this.cwm.events(after, this.options.eventPageSize);
    return { events: page.events.map(toDriverEvent), nextCursor: String(Math.max(after, page.lastSeq)) };
  }

  async handleWebhook(): Promise<never> {
    throw new DriverError("permanent", MSG.noWebhooks, { vendorSignal: "no webhooks" });
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  /** Correlates the vendor calls of one write with the reconcile job (operationId, §5 principles). */
  private trace(operation: string, ctx?: OperationContext, holderId?: string, credentialId?: string): void {
    this.logger.debug({ operation, operationId: ctx?.operationId, holderId, credentialId }, MSG.write);
  }

  private keyOpsContext() {
    return { cwm: this.cwm, clock: this.clock, isManaged: this.isManaged, options: this.options };
  }
}
