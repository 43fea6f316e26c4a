// The iLOQ 5 Series driver: the bridge contract (src/drivers/key-system-driver.ts) over the iLOQ Public
// API v2 (key-systems.md §2). Vendor steps live in the *-ops files; this class wires them and serialises
// writes per holder.
import { DriverError } from "../../src/drivers/driver-error";
import type {
  CatalogEntry,
  ChangeResult,
  CredentialSpec,
  CredentialState,
  DriverCapabilities,
  DriverDeps,
  Effect,
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
import { HolderSerial } from "./holder-serial";
import { IloqClient } from "./iloq-client";
import { pullLockLogs } from "./iloq-events";
import { applyGrantsToKey } from "./iloq-grant-ops";
import { deletePerson, findPerson, personKeys, setEmploymentEnd, upsertPerson } from "./iloq-holder-ops";
import { issueKey } from "./iloq-issue-ops";
import {
  blockEffect,
  getKey,
  type IloqOps,
  readBlacklist,
  readKey,
  toCredentialState,
} from "./iloq-key-state";
import type { IloqOptions } from "./iloq-options";
import { revokeKey } from "./iloq-revoke-ops";
import { IloqWebhookVerifier } from "./iloq-webhook";
import type { IloqSecurityAccess, IloqZone } from "./iloq-wire";
import { managedPredicate } from "./translate-grants";

const MSG_NO_ZONE = "iLOQ lock group has no zone of Type 4 and no zoneId is configured";
/** Worst effect first: a holder's result is the least finished of its keys. */
const EFFECT_RANK: Effect[] = [
  "manual_action_required",
  "pending_propagation",
  "pending_programming",
  "applied",
  "effective",
];

function worst(effects: Effect[], fallback: Effect): Effect {
  return effects.reduce((w, e) => (EFFECT_RANK.indexOf(e) < EFFECT_RANK.indexOf(w) ? e : w), fallback);
}

export class IloqDriver implements KeySystemDriver {
  readonly driver = "iloq";
  private readonly ops: IloqOps;
  private readonly serial = new HolderSerial();
  private readonly webhooks: IloqWebhookVerifier;
  private zoneId: string | undefined;

  constructor(
    readonly systemId: string,
    private readonly options: IloqOptions,
    deps: DriverDeps,
    client?: IloqClient,
  ) {
    const password = deps.secrets[options.passwordSecret] ?? "";
    const apiKey = options.apiKeySecret ? deps.secrets[options.apiKeySecret] : undefined;
    this.ops = {
      client: client ?? new IloqClient(options, { password, apiKey }, deps.clock),
      options,
      clock: deps.clock,
      isManaged: managedPredicate(options.managedAccessIds),
    };
    const signKey = options.webhookSignKeySecret ? deps.secrets[options.webhookSignKeySecret] : undefined;
    this.webhooks = new IloqWebhookVerifier(signKey, options.webhookMaxAgeMs, deps.clock);
    this.zoneId = options.zoneId;
  }

  /** Vendor requests sent so far (benchmark figure). */
  get requestCount(): number {
    return this.ops.client.counter.requests;
  }

  describe(): DriverCapabilities {
    return {
      remoteReturn: true, // phone keys and external tags only (§2.5)
      remoteBlock: true, // Blacklists AddKey + OrderS40Blacklist
      perKeyGrants: true,
      schedules: true, // the grants' schedule as the key's time profile (slot 2+, translate-schedule.ts)
      scheduleScope: "credential", // time limits are stored in the key, not per right (§2.2)
      webhooks: this.options.webhookSignKeySecret !== undefined,
      requiresPhysicalHandover: false, // phone keys and tags are issued remotely (§2.5)
      credentialNeeds: { phone: true, serial: true }, // CanOrder 9 / 14, ROM id of an S5 key (§2.4)
      validityWindows: true, // slots 0/1 are enforced by the lock itself
      maxGrantsPerCredential: null,
    };
  }

  async healthCheck(): Promise<HealthStatus> {
    try {
      await this.ops.client.open<string>("GET", "Test");
      const version = await this.ops.client.open<string>("GET", "Version");
      await this.ops.client.timeZone(); // a session proves the credentials and the lock group
      return { status: "ok", vendorVersion: String(version) };
    } catch (err) {
      return { status: "down", detail: (err as { code?: string }).code ?? "DRIVER_RETRYABLE" };
    }
  }

  async listGrantCatalog(): Promise<CatalogEntry[]> {
    const all = await this.ops.client.call<IloqSecurityAccess[]>("GET", "SecurityAccesses");
    return (all ?? []).map((a) => ({
      vendorRef: a.SecurityAccess_ID,
      name: a.Name,
      changeable: a.Type === 3 && a.Status === 0,
      ...(a.Zone_ID ? { scope: a.Zone_ID } : {}),
    }));
  }

  async observe(externalId: string): Promise<Observation> {
    const person = await findPerson(this.ops, externalId);
    if (!person) return { holder: null, credentials: [], foreignGrants: [] };
    const zone = await this.ops.client.timeZone();
    const keys = await personKeys(this.ops, person.Person_ID);
    const blacklist = keys.length ? await readBlacklist(this.ops) : undefined;
    const credentials: CredentialState[] = [];
    const foreign = new Map<string, GrantSpec>();
    for (const key of keys) {
      const read = await readKey(this.ops, key, blacklist);
      credentials.push(toCredentialState(this.ops, read, zone));
      for (const a of read.planned.accesses) {
        if (!this.ops.isManaged(a)) foreign.set(a.SecurityAccess_ID, { vendorRef: a.SecurityAccess_ID });
      }
    }
    return {
      holder: { holderId: person.Person_ID, externalId },
      credentials,
      foreignGrants: [...foreign.values()],
    };
  }

  async upsertHolder(
    spec: HolderSpec,
    _ctx: OperationContext,
  ): Promise<{ holder: HolderRef; created: boolean }> {
    const zone = await this.ops.client.timeZone();
    const id = `external:${spec.externalId}`;
    return this.serial.run(id, () =>
      upsertPerson(this.ops, this.systemId, spec, () => this.personZone(), zone),
    );
  }

  async deactivateHolder(holder: HolderRef, at: string, _ctx: OperationContext): Promise<ChangeResult> {
    const zone = await this.ops.client.timeZone();
    return this.serial.run(holder.holderId, () => setEmploymentEnd(this.ops, holder, at, zone));
  }

  async issueCredential(holder: HolderRef, spec: CredentialSpec, _ctx: OperationContext) {
    const zone = await this.ops.client.timeZone();
    return this.serial.run(holder.holderId, async () =>
      issueKey(this.ops, this.systemId, holder, spec, await this.personZone(), zone),
    );
  }

  async setGrants(holder: HolderRef, desired: GrantSpec[], _ctx: OperationContext): Promise<ChangeResult> {
    const zone = await this.ops.client.timeZone();
    return this.serial.run(holder.holderId, async () => {
      const keys = await personKeys(this.ops, holder.holderId);
      const blacklist = keys.length ? await readBlacklist(this.ops) : undefined;
      const usable = keys.filter((k) => !blacklist || !blockEffect(k, blacklist));
      if (usable.length === 0) {
        if (desired.length === 0) return { effect: "effective", manualTasks: [] };
        const reason = "iLOQ person has no usable key to carry the grants; issue one first";
        return { effect: "manual_action_required", manualTasks: [{ kind: "hand_out_credential", reason }] };
      }
      const credentials: Array<{ credentialId: string; effect: Effect }> = [];
      const exposures: string[] = [];
      for (const key of usable) {
        const r = await applyGrantsToKey(this.ops, key, desired, zone);
        credentials.push({ credentialId: key.FNKey_ID, effect: r.effect });
        if (r.exposureUntil) exposures.push(r.exposureUntil);
      }
      const exposureUntil = exposures.sort().at(-1);
      return {
        effect: worst(
          credentials.map((c) => c.effect),
          "effective",
        ),
        manualTasks: [],
        credentials,
        ...(exposureUntil ? { exposureUntil } : {}),
      };
    });
  }

  async revokeCredential(
    credentialId: string,
    reason: RevokeReason,
    _ctx: OperationContext,
  ): Promise<ChangeResult> {
    const zone = await this.ops.client.timeZone();
    const key = await getKey(this.ops, credentialId);
    const holder = key?.Person_ID ?? `key:${credentialId}`;
    // Re-read the key only when another write for this holder ran in between.
    return this.serial.run(holder, (waited) =>
      revokeKey(this.ops, credentialId, reason, zone, waited ? undefined : key),
    );
  }

  async removeHolder(
    holder: HolderRef,
    _ctx: OperationContext,
  ): Promise<ChangeResult & { removed: boolean }> {
    return this.serial.run(holder.holderId, () => deletePerson(this.ops, holder));
  }

  async getCredentialState(credentialId: string): Promise<CredentialState | null> {
    const key = await getKey(this.ops, credentialId);
    if (!key) return null;
    const zone = await this.ops.client.timeZone();
    return toCredentialState(this.ops, await readKey(this.ops, key), zone);
  }

  async pullEvents(cursor: string | null): Promise<EventPage> {
    return pullLockLogs(this.ops, cursor, await this.ops.client.timeZone());
  }

  async handleWebhook(req: WebhookRequest) {
    return this.webhooks.verify(req);
  }

  async close(): Promise<void> {
    await this.ops.client.close();
  }

  /** Zone for new persons and keys: configured, else the first Type 4 zone ([3p] HelloID). */
  private async personZone(): Promise<string> {
    if (this.zoneId) return this.zoneId;
    const zones = await this.ops.client.call<IloqZone[]>("GET", "Zones");
    const zone = (zones ?? []).find((z) => z.Type === 4) ?? null;
    if (!zone) throw new DriverError("systemic", MSG_NO_ZONE, { vendorSignal: "Zones" });
    this.zoneId = zone.Zone_ID;
    return zone.Zone_ID;
  }
}
