// The loaded, validated and compiled mappings: what evaluation, explain and plan read. Immutable.
import type { ProfileSchedule } from "../access/desired-grant";
import type { CompiledCondition } from "./compile-condition";
import type { ConditionInput } from "./mapping-schema";

/** Where a definition came from, for messages and explanations. */
export interface SourceRef {
  file: string;
  line: number;
}

export interface KeySystemDef {
  id: string;
  driver: "memory" | "iloq" | "cliq";
  /** As the driver's scope schema outputs it (checked at load when the driver schemas are given). */
  scope?: Readonly<Record<string, unknown>>;
  /** IANA zone in which date-only HR dates are read for this system's grants (default UTC). */
  timeZone: string;
  description?: string;
  source: SourceRef;
}

export interface ProfileBinding {
  system: string;
  vendorRefs: string[];
}

export interface ProfileDef {
  name: string;
  description?: string;
  critical: boolean;
  maxValidity?: string;
  maxValidityMs?: number;
  schedule?: ProfileSchedule;
  /** Sorted by system id. */
  bindings: ProfileBinding[];
  source: SourceRef;
}

export interface RuleValidity {
  maxDays?: number;
  boundedByAccessValidUntil: boolean;
  notBeforeAccessValidFrom: boolean;
  /** Absolute limits written in the rule (epoch ms). */
  notBeforeMs?: number;
  notAfterMs?: number;
}

export interface RuleDef {
  name: string;
  description?: string;
  tenants: "all" | string[];
  match: ConditionInput;
  condition: CompiledCondition;
  /** Number of attribute/group tests in the condition. */
  leafCount: number;
  /** Profile names, in file order. */
  grants: string[];
  validity: RuleValidity;
  /** The (key system, profile) pairs the rule grants, resolved once at load for the hot path. */
  targets: GrantTarget[];
  /** Every group the condition names, with where it is written (for checkGroupReferences). */
  groupReferences: GroupReference[];
  source: SourceRef;
}

export interface GrantTarget {
  /** `system\u0000profile`, unique per grant. */
  key: string;
  system: string;
  profile: ProfileDef;
  vendorRefs: string[];
  /** The key system's zone, for date-only HR dates. */
  timeZone: string;
}

export interface GroupReference {
  by: "id" | "externalId" | "displayName";
  value: string;
  file: string;
  line: number;
  path: string;
}

export interface MappingSet {
  keySystems: ReadonlyMap<string, KeySystemDef>;
  profiles: ReadonlyMap<string, ProfileDef>;
  /** Sorted by name. */
  rules: readonly RuleDef[];
  /** sha256 of the canonical definitions (not of file text): changes iff the mappings mean something else. */
  fingerprint: string;
  /** Rules that apply to a tenant, memoised on first use. */
  rulesForTenant(tenant: string): readonly RuleDef[];
}
