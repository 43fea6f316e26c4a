// The shape of one audit record before it is chained. The catalog of `type` values and the
// hash-chained writer live beside this file.

export type AuditOutcome = "success" | "failure" | "pending" | "noop";

export interface AuditEventInput {
  /** From the audit catalog, e.g. "scim.user.deactivated", "access.desired_changed", "driver.call". */
  type: string;
  tenant?: string;
  /** Who acted: "idp:<tenant>", "worker", "operator:<name>", "scheduler". */
  actor: string;
  /** What it is about: { kind: "person", id } or { kind: "key_system", id }. Internal ids only. */
  subject: { kind: "person" | "group" | "key_system" | "tenant" | "mappings" | "admin_token"; id: string };
  reason?: string;
  /** SCIM request id → job id → driver operation id, so one change can be followed end to end. */
  correlationId?: string;
  outcome: AuditOutcome;
  /** Structured details; personal data only where needed, never secrets. */
  data?: Record<string, unknown>;
}

export interface AuditSink {
  append(event: AuditEventInput): Promise<void>;
}
