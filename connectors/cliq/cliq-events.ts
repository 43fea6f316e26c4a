// CLIQ key/cylinder events in bridge terms (key-systems.md §1.2 audit trail; event kinds of §6.2 are [inf]).
import type { DriverEvent } from "../../src/drivers/key-system-driver";
import type { CliqEventRecord } from "./cwm-records";

const KINDS: Record<string, DriverEvent["kind"]> = {
  access_granted: "access_granted",
  access_denied: "access_denied",
  key_updated: "credential_programmed",
  reported_lost: "credential_blocked",
};

export function toDriverEvent(e: CliqEventRecord): DriverEvent {
  return {
    // The vendor event id is unique; late uploads get a new seq but keep their old occurredAt.
    id: `cliq:${e.id}`,
    occurredAt: e.occurredAt,
    receivedAt: e.receivedAt,
    kind: KINDS[e.kind] ?? "other",
    ...(e.keyId ? { credentialId: e.keyId } : {}),
    ...(e.cylinderId ? { lockId: e.cylinderId } : {}),
    ...(e.personId ? { holderId: e.personId } : {}),
  };
}
