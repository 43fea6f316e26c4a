// Handing out a key and setting a holder's grants on CLIQ keys (key-systems.md §1.3 "Issue key", "Change
// access"): dynamic and CLIQ Connect keys take a remote update; normal keys need cylinder programming.
import type {
  ChangeResult,
  Clock,
  CredentialSpec,
  Effect,
  GrantSpec,
  HolderRef,
  ManualTask,
} from "../../src/drivers/key-system-driver";
import { DriverError } from "../../src/drivers/driver-error";
import {
  credentialStateOf,
  exposureBound,
  type IsManaged,
  planAccess,
  sameAccess,
  worstEffect,
} from "./cliq-access-plan";
import { keySchedule } from "./cliq-schedule";
import { chooseKeySchedule } from "./cliq-schedule-ops";
import type { CliqSettings } from "./cliq-scope";
import type { CwmAdapter } from "./cwm-adapter";
import type { CliqAccess, CliqKey, CliqValidity } from "./cwm-records";

export interface KeyOpsContext {
  cwm: CwmAdapter;
  clock: Clock;
  isManaged: IsManaged;
  options: CliqSettings;
}

const MSG = {
  notPhysical: "CLIQ credentials are physical keys",
  notManaged: "grant is not a bridge-managed CLIQ access profile",
} as const;

function manualHandOut(reason: string): ChangeResult & { credentialId: string } {
  // No key record exists yet, so there is no credential id to return (empty until an operator hands out).
  return {
    credentialId: "",
    effect: "manual_action_required",
    manualTasks: [{ kind: "hand_out_credential", reason }],
  };
}

/** The pool policy's refusal, if it forbids the bridge to hand out this key. */
function poolRefusal(ctx: KeyOpsContext, serial?: string): string | null {
  const pool = ctx.options.keyPool;
  if (pool.mode === "manual") return "key pool is manual: hand out a key in CLIQ";
  if (pool.mode === "serials" && serial && !pool.serials.includes(serial))
    return "requested key is not in the pool";
  return null;
}

/** The in-stock keys of the domain the pool allows, sorted by serial. */
async function poolKeys(ctx: KeyOpsContext): Promise<CliqKey[]> {
  const pool = ctx.options.keyPool;
  const inStock = await ctx.cwm.keysInStock(ctx.options.domainId);
  const allowed = pool.mode === "serials" ? inStock.filter((k) => pool.serials.includes(k.serial)) : inStock;
  return allowed.sort((a, b) => a.serial.localeCompare(b.serial));
}

/** A key the holder already has: by serial when one is asked for, else any handed-out key. */
async function heldOrStock(ctx: KeyOpsContext, holder: HolderRef, serial?: string) {
  if (serial) {
    // One look-up by serial answers both "already handed to this holder?" and "in stock?".
    const keys = await ctx.cwm.keysBySerial(ctx.options.domainId, serial);
    const held = keys.find((k) => k.status === "handed_out" && k.holderId === holder.holderId);
    return { held, stock: keys.filter((k) => k.status === "in_stock") };
  }
  const keys = await ctx.cwm.keysOfHolder(holder.holderId);
  return { held: keys.find((k) => k.status === "handed_out"), stock: null };
}

/** Hand-out of an in-stock key from the configured pool; idempotent by (holder, serial). */
export async function issueCliqKey(
  ctx: KeyOpsContext,
  holder: HolderRef,
  spec: CredentialSpec,
): Promise<ChangeResult & { credentialId: string }> {
  if (spec.kind !== "physical")
    throw new DriverError("permanent", MSG.notPhysical, { vendorSignal: spec.kind });
  const found = await heldOrStock(ctx, holder, spec.serial);
  if (found.held) {
    const state = credentialStateOf(found.held, ctx.isManaged, ctx.clock.now());
    return { credentialId: found.held.id, effect: state.effect, manualTasks: [] };
  }
  const refusal = poolRefusal(ctx, spec.serial);
  if (refusal) return manualHandOut(refusal);
  const key = (found.stock ?? (await poolKeys(ctx)))[0];
  if (!key)
    return manualHandOut(spec.serial ? "requested key is not in stock" : "no key of the pool is in stock");
  const validity: CliqValidity = spec.notAfter ? { mode: "between", to: spec.notAfter } : { mode: "always" };
  const access: CliqAccess = { profileIds: [], cylinderIds: [], validity, scheduleId: null };
  await ctx.cwm.handOut(key.id, holder.holderId, access, ctx.options.revalidationDays);
  return {
    credentialId: key.id,
    effect: "pending_programming",
    manualTasks: [
      {
        kind: "hand_out_credential",
        credentialId: key.id,
        reason: "give the key to the holder; it is programmed at a PD",
      },
    ],
    credentials: [{ credentialId: key.id, effect: "pending_programming" }],
  };
}

/** Validity ending at `at` at the latest (leavers, fixed-term contracts). */
function endingAt(v: CliqValidity, at: string): CliqValidity {
  if (v.mode === "never") return v;
  if (v.mode === "between" && v.to && v.to <= at) return v;
  return { mode: "between", ...(v.mode === "between" && v.from ? { from: v.from } : {}), to: at };
}

/**
 * Declarative: each handed-out key of the holder carries exactly `desired` of the bridge-managed profiles
 * (foreign profiles and cylinder authorisations stay). `desired` null changes only the validity end.
 */
export async function setCliqGrants(
  ctx: KeyOpsContext,
  holder: HolderRef,
  desired: GrantSpec[] | null,
  opts: { validUntil?: string } = {},
): Promise<ChangeResult> {
  const unmanaged = desired?.find((g) => !ctx.isManaged(g.vendorRef));
  if (unmanaged) throw new DriverError("permanent", MSG.notManaged, { vendorSignal: "unmanaged profile" });
  // Refuses schedules one key cannot carry before anything is written.
  if (desired) keySchedule(desired);
  const keys = (await ctx.cwm.keysOfHolder(holder.holderId)).filter((k) => k.status === "handed_out");
  if (keys.length === 0) {
    if (!desired || desired.length === 0) return { effect: "effective", manualTasks: [] };
    return {
      effect: "manual_action_required",
      manualTasks: [{ kind: "hand_out_credential", reason: "holder has no CLIQ key" }],
    };
  }
  const now = ctx.clock.now();
  const credentials: Array<{ credentialId: string; effect: Effect }> = [];
  const manualTasks: ManualTask[] = [];
  const exposures: string[] = [];
  const schedule = desired && desired.length > 0 ? await chooseKeySchedule(ctx.cwm, desired, keys) : null;
  for (const key of keys) {
    const next = desired
      ? planAccess(key.planned, desired, ctx.isManaged, schedule?.scheduleIdFor(key))
      : { ...key.planned, validity: endingAt(key.planned.validity, opts.validUntil ?? now.toISOString()) };
    if (sameAccess(next, key.planned)) {
      credentials.push({ credentialId: key.id, effect: credentialStateOf(key, ctx.isManaged, now).effect });
      continue;
    }
    const change = await ctx.cwm.changeAccess(key.id, next);
    const exposure = exposureBound(key, now);
    if (exposure) exposures.push(exposure);
    if (change.waitsFor === "cylinders") {
      // A normal key has no access list: a technician must program its cylinders (§1.2 Key kinds).
      manualTasks.push({
        kind: "program_with_manager",
        credentialId: key.id,
        reason: "program the cylinders of this normal key",
      });
      credentials.push({ credentialId: key.id, effect: "manual_action_required" });
    } else {
      credentials.push({ credentialId: key.id, effect: "pending_programming" });
    }
  }
  const exposureUntil = exposures.sort().at(-1);
  return {
    effect: worstEffect(credentials.map((c) => c.effect)),
    manualTasks,
    credentials,
    ...(exposureUntil ? { exposureUntil } : {}),
  };
}
