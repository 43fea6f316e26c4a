// Issues an iLOQ key to a person with an integrator-chosen FNKey_ID (key-systems.md §2.5 "Issue phone
// key", "External RFID tag", "Physical S5"): POST Keys, then PUT KeyPhones for a phone key. Rights and
// the Order come with setGrants, so a key is ordered once with its final rights.
import { DriverError } from "../../src/drivers/driver-error";
import type { ChangeResult, CredentialSpec, HolderRef } from "../../src/drivers/key-system-driver";
import { getKey, type IloqOps, keyEffectOf } from "./iloq-key-state";
import { toIloqLocal } from "./iloq-time";
import { type IloqKey, KEY_TYPE } from "./iloq-wire";
import { keyIdFor } from "./name-based-uuid";

const MSG_SERIAL = "iLOQ tag and physical keys need the serial (TagKey / ROM id)";
const MSG_PHONE = "iLOQ phone keys need a phone number (CanOrder 9)";

/** The planner checks the phone number or serial first (credential-request.ts); this guards the wire. */
function keyType(spec: CredentialSpec): number {
  if (spec.kind === "physical") {
    if (!spec.serial) throw new DriverError("permanent", MSG_SERIAL, { vendorSignal: "KeyTypeMask=264" });
    return KEY_TYPE.s5;
  }
  if (spec.kind === "phone" && !spec.phone)
    throw new DriverError("permanent", MSG_PHONE, { vendorSignal: "CanOrder=9" });
  if (spec.kind === "tag" && !spec.serial)
    throw new DriverError("permanent", MSG_SERIAL, { vendorSignal: "CanOrder=14" });
  return spec.kind === "phone" ? KEY_TYPE.phone : KEY_TYPE.tag;
}

function issued(
  key: IloqKey,
  spec: CredentialSpec,
  effect: ChangeResult["effect"],
): ChangeResult & { credentialId: string } {
  const physical = spec.kind === "physical";
  return {
    credentialId: key.FNKey_ID,
    effect: physical ? "manual_action_required" : effect,
    manualTasks: physical
      ? [
          {
            kind: "hand_out_credential",
            credentialId: key.FNKey_ID,
            reason: "hand the physical iLOQ key to its holder",
          },
        ]
      : [],
    credentials: [{ credentialId: key.FNKey_ID, effect }],
  };
}

export async function issueKey(
  ops: IloqOps,
  systemId: string,
  holder: HolderRef,
  spec: CredentialSpec,
  zoneId: string,
  zone: string,
): Promise<ChangeResult & { credentialId: string }> {
  const type = keyType(spec);
  const id = keyIdFor(systemId, holder.externalId, spec.kind, spec.serial ?? spec.phone ?? "");
  // Look up before creating: a create that timed out may have been applied (contract obligation 3).
  const existing = await getKey(ops, id);
  if (existing && !(spec.kind === "phone" && existing.State === 0 && !existing.IsProgrammed)) {
    return issued(existing, spec, await keyEffectOf(ops, existing));
  }
  const Key: Record<string, unknown> = {
    FNKey_ID: id,
    Person_ID: holder.holderId,
    KeyTypeMask: type,
    Description: "keybridge",
    ExpireDate: spec.notAfter ? toIloqLocal(new Date(spec.notAfter), zone) : null,
  };
  if (spec.kind === "tag") Key.TagKey = spec.serial;
  if (spec.kind === "physical") Key.ROM_ID = spec.serial;
  const body: Record<string, unknown> = { Key, SecurityAccessIds: [], TimeLimitSlots: [], ZoneIds: [zoneId] };
  if (spec.kind === "phone" && ops.options.offlineExpirationSeconds) {
    body.OfflineExpirationSeconds = ops.options.offlineExpirationSeconds;
  }
  // An unprogrammed phone key found again gets its phone data re-sent: the first PUT may have failed.
  const created = existing ?? (await ops.client.call<IloqKey>("POST", "Keys", { body }));
  if (spec.kind === "phone") {
    // Phone number and e-mail for the registration message (§2.5 step 2); OptionMask 0 = SMS only.
    const phones = { FNKey_ID: id, PhoneNo: spec.phone, Email: spec.email ?? "", OptionMask: 0 };
    await ops.client.call("PUT", "KeyPhones", { body: phones });
  }
  return issued(created ?? (Key as unknown as IloqKey), spec, "pending_programming");
}
