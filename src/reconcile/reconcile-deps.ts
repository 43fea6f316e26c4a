// What reconcilePerson and the workers need from the rest of keybridge, as narrow interfaces.
import type { CredentialSetting } from "../access/credential-request";
import type { DesiredGrant } from "../access/desired-grant";
import type { AuditSink } from "../audit/audit-event";
import type { Clock, KeySystemDriver } from "../drivers/key-system-driver";
import type { Logger } from "../log/logger";
import type { DirectoryReader, PersonSnapshot } from "../store/directory-types";
import type { DirtySet } from "./dirty-set";
import type { GrantLedger } from "./grant-ledger";
import type { ReconcileQueues } from "./reconcile-queues";
import type { ResyncBatchSettings } from "./resync-batch-job";

/**
 * The mappings as the pipeline sees them (implemented over mapping/'s MappingHolder by
 * mapping-access-evaluator.ts): which key systems exist and what one person should hold.
 */
export interface AccessEvaluator {
  /** Key system ids declared in the current mapping set. */
  systems(): string[];
  /** Fingerprint of the current mapping set (a change triggers a full resync at start-up). */
  fingerprint(): string;
  /** Desired grants of one person in every key system; pure given the same mapping set. */
  evaluate(person: PersonSnapshot, now: Date): DesiredGrant[];
}

export interface SystemSettings {
  mode: "observe" | "enforce";
  /**
   * keySystems.<id>.credential: the credential kind to issue when a person with grants holds none and
   * which SCIM attribute holds its phone number or serial; null: the system issues none.
   */
  credentialPolicy: CredentialSetting | null;
}

export interface ReconcileDeps {
  directory: DirectoryReader;
  access: AccessEvaluator;
  drivers: ReadonlyMap<string, KeySystemDriver>;
  settings: (system: string) => SystemSettings;
  ledger: GrantLedger;
  dirty: DirtySet;
  queues: ReconcileQueues;
  audit: AuditSink;
  clock: Clock;
  newId: () => string;
  logger: Logger;
  /** How long after a pending effect the confirm timer looks again (default 60 s). */
  confirmAfterMs?: number;
  /** How often a person with open work items is looked at again (default 5 min). */
  workItemRecheckMs?: number;
  /**
   * How a full resync of `system` is batched; null: one reconcile job per person (a key system with a
   * rate limit, whose BullMQ limiter counts jobs, not the observe calls a batch makes). Absent: defaults.
   */
  resyncBatch?: (system: string) => ResyncBatchSettings | null;
}
