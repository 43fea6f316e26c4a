// Which of a person's open work items this reconcile run may close, and why: pure, so every condition is
// a table-driven test. A work item asks an operator for a physical step; once the key system shows the
// step done (or no longer needed), the item closes itself instead of waiting for someone to tick it off.
import { createHash } from "node:crypto";
import type { ManualTask, Observation } from "../drivers/key-system-driver";
import type { WorkItem } from "./grant-ledger";
import type { LedgerEntry } from "./ledger-entry";

export type WorkItemCloseReason =
  | "grant_effective" // handing out: the key was programmed with the person's grants, so it is in their hands
  | "not_needed" // handing out: the person no longer should hold anything here
  | "credential_returned" // hand-in: the key is back (handed in, in stock, no longer the person's)
  | "credential_programmed"; // program_with_manager: the locks or the key now carry the change

export interface WorkItemView {
  /** What the key system holds for the person, read at the start of this run. */
  observation: Observation;
  /** The person's ledger entries after this run. */
  entries: LedgerEntry[];
}

/**
 * One open item per (key system, person, kind, credential): the id is derived from them, so a task the
 * driver reports again on the next run does not open a second item.
 */
export function workItemId(system: string, personId: string, task: ManualTask): string {
  const basis = [system, personId, task.kind, task.credentialId ?? ""].join("\u0000");
  return `wi-${createHash("sha256").update(basis).digest("hex").slice(0, 16)}`;
}

function credentialOf(view: WorkItemView, id: string | undefined) {
  return id ? view.observation.credentials.find((c) => c.credentialId === id) : undefined;
}

/** Why this item is done now, or null while it still needs the operator. */
export function closeReason(item: WorkItem, view: WorkItemView): WorkItemCloseReason | null {
  const grants = view.entries.filter((e) => e.action === "grant");
  switch (item.task.kind) {
    case "hand_out_credential":
      if (grants.length === 0) return "not_needed";
      return grants.every((e) => e.state === "effective") ? "grant_effective" : null;
    case "hand_in_credential": {
      if (!item.task.credentialId) {
        const held = view.observation.credentials.filter((c) => c.status !== "returned");
        return held.length === 0 ? "credential_returned" : null;
      }
      const c = credentialOf(view, item.task.credentialId);
      return !c || c.status === "returned" ? "credential_returned" : null;
    }
    case "program_with_manager": {
      const c = credentialOf(view, item.task.credentialId);
      return !c || c.effect === "effective" ? "credential_programmed" : null;
    }
    default:
      return null; // blocking a key or an "other" task: only an operator can say it is done
  }
}
