// Builds a sealed, chained audit trail for the evidence report's unit tests: each step is one record
// as the pipeline writes it (SCIM change, effect state, timer, IdP signal), at a given time.
import { type AuditRecord, GENESIS_HASH, sealRecord } from "../../src/audit/audit-record";

export const T0 = Date.parse("2026-03-02T08:00:00.000Z");
export const H = 3_600_000;
export const at = (ms: number) => new Date(T0 + ms).toISOString();

export class TrailBuilder {
  readonly records: AuditRecord[] = [];

  add(type: string, person: string, ms: number, data: Record<string, unknown> = {}): this {
    const prev = this.records.at(-1);
    const record = sealRecord({
      v: 1,
      seq: (prev?.seq ?? 0) + 1,
      time: at(ms),
      type,
      tenant: "acme",
      actor: type.startsWith("scim.") ? "idp:acme" : "worker",
      subject: { kind: "person", id: person },
      outcome: "success",
      data: data as AuditRecord["data"],
      prevHash: prev?.hash ?? GENESIS_HASH,
    });
    this.records.push(record);
    return this;
  }

  scim(kind: "created" | "deactivated" | "deleted" | "activated", person: string, ms: number): this {
    return this.add(`scim.user.${kind}`, person, ms, { at: at(ms), userName: `${person}@example.org` });
  }

  /** One effect-state record: grant|revoke of `profile` reaching `to`. */
  effect(
    action: "grant" | "revoke",
    to: string,
    person: string,
    ms: number,
    extra: Record<string, unknown> = {},
  ): this {
    const noun = action === "grant" ? "grant" : "revocation";
    const type = `${noun}.${to.startsWith("pending") ? "pending" : to}`;
    return this.add(type, person, ms, {
      system: "cliq",
      profile: "substation",
      action,
      to,
      rules: ["field-technicians"],
      ...extra,
    });
  }
}
