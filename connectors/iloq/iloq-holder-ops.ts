// Persons in iLOQ (key-systems.md §2.2 Person, §2.3): look up by ExternalPersonId, create with an
// integrator-chosen Person_ID, update with the full object, delete only when CanDelete says 0.
import type { ChangeResult, HolderRef, HolderSpec } from "../../src/drivers/key-system-driver";
import { CAN_DELETE_PERSON, precheckError } from "./classify-iloq-error";
import { type IloqOps, isNotFound } from "./iloq-key-state";
import { toIloqLocal } from "./iloq-time";
import type { IloqKey, IloqPerson } from "./iloq-wire";
import { personIdFor } from "./name-based-uuid";

export async function findPerson(ops: IloqOps, externalId: string): Promise<IloqPerson | null> {
  const found = await ops.client.call<IloqPerson[]>("GET", "Persons/GetByExternalPersonIds", {
    query: { externalPersonIds: externalId },
  });
  return (found ?? []).find((p) => p.ExternalPersonId === externalId) ?? null;
}

export async function personKeys(ops: IloqOps, personId: string): Promise<IloqKey[]> {
  const res = await ops.client.call<{ Keys?: IloqKey[] }>(
    "GET",
    `Persons/${encodeURIComponent(personId)}/Keys`,
  );
  return res?.Keys ?? [];
}

/**
 * The person fields the bridge owns; everything else an operator set in Manager is kept. iLOQ has no
 * display-name field, so the IdP's display name goes into Description, where Manager users see it.
 */
function ownedFields(spec: HolderSpec, zone: string) {
  const [first, ...rest] = spec.displayName.trim().split(/\s+/);
  return {
    ExternalPersonId: spec.externalId,
    PersonCode: spec.externalId,
    FirstName: spec.firstName ?? first ?? "",
    LastName: spec.lastName ?? rest.join(" "),
    Description: spec.displayName,
    eMail: spec.email ?? "",
    Phone1: spec.phone ?? "",
    EmploymentEndDate: spec.employmentEnd ? toIloqLocal(new Date(spec.employmentEnd), zone) : null,
  };
}

export async function upsertPerson(
  ops: IloqOps,
  systemId: string,
  spec: HolderSpec,
  zoneId: () => Promise<string>,
  zone: string,
): Promise<{ holder: HolderRef; created: boolean }> {
  const wanted = ownedFields(spec, zone);
  const existing = await findPerson(ops, spec.externalId);
  if (existing) {
    const holder = { holderId: existing.Person_ID, externalId: spec.externalId };
    const differs = Object.entries(wanted).some(
      ([k, v]) => (existing[k] ?? null) !== v && !(v === "" && !existing[k]),
    );
    if (differs) await ops.client.call("PUT", "Persons", { body: { Person: { ...existing, ...wanted } } });
    return { holder, created: false };
  }
  const Person_ID = personIdFor(systemId, spec.externalId);
  try {
    await ops.client.call("POST", "Persons", {
      body: { Person: { Person_ID, ...wanted }, ZoneIds: [await zoneId()] },
    });
  } catch (err) {
    // A refused create of our own deterministic id means an earlier attempt got there first.
    if ((err as { kind?: string }).kind !== "permanent") throw err;
    const again = await ops.client.call<IloqPerson>("GET", `Persons/${Person_ID}`).catch(() => null);
    if (!again) throw err;
    return { holder: { holderId: Person_ID, externalId: spec.externalId }, created: false };
  }
  return { holder: { holderId: Person_ID, externalId: spec.externalId }, created: true };
}

export async function setEmploymentEnd(
  ops: IloqOps,
  holder: HolderRef,
  at: string,
  zone: string,
): Promise<ChangeResult> {
  const person = await ops.client
    .call<IloqPerson>("GET", `Persons/${encodeURIComponent(holder.holderId)}`)
    .catch((err: unknown) => {
      if (isNotFound(err)) return null;
      throw err;
    });
  // A person iLOQ no longer knows has nothing left to deactivate.
  if (!person) return { effect: "effective", manualTasks: [] };
  const end = toIloqLocal(new Date(at), zone);
  if (person.EmploymentEndDate !== end) {
    await ops.client.call("PUT", "Persons", { body: { Person: { ...person, EmploymentEndDate: end } } });
  }
  return { effect: "applied", manualTasks: [] };
}

export async function deletePerson(
  ops: IloqOps,
  holder: HolderRef,
): Promise<ChangeResult & { removed: boolean }> {
  const id = encodeURIComponent(holder.holderId);
  let code: number;
  try {
    code = Number(await ops.client.call<number>("GET", `Persons/${id}/CanDelete`));
  } catch (err) {
    if (isNotFound(err)) return { removed: false, effect: "effective", manualTasks: [] };
    throw err;
  }
  if (code === 1) {
    // Keys still attached: they must be returned or handed in first (§2.5 "Offboard" step 3).
    const keys = await personKeys(ops, holder.holderId);
    const manualTasks = keys.map((k) => ({
      kind: "hand_in_credential" as const,
      credentialId: k.FNKey_ID,
      reason: "iLOQ person still holds keys (CanDelete=1)",
    }));
    return { removed: false, effect: "manual_action_required", manualTasks };
  }
  const refused = precheckError("PersonCanDelete", CAN_DELETE_PERSON, code);
  if (refused) throw refused;
  await ops.client.call("DELETE", `Persons/${id}`);
  return { removed: true, effect: "effective", manualTasks: [] };
}
