// Plan: who gains and who loses which profile if the candidate mappings replaced the current ones,
// computed before anything is applied (what a reviewer needs next to a mapping pull request).
import type { DesiredGrant } from "../access/desired-grant";
import { desiredGrants } from "./evaluate-person";
import type { MappingSet } from "./mapping-set";
import type { TenantPerson } from "./persons-file";

export interface ProfileChange {
  tenant: string;
  personId: string;
  userName: string;
  system: string;
  profile: string;
  /** modified only: which grant fields differ (notBefore, notAfter, vendorRefs, schedule, critical). */
  fields?: string[];
}

export interface ProfileTotals {
  system: string;
  profile: string;
  gains: number;
  losses: number;
  modified: number;
}

export interface MappingPlan {
  currentFingerprint: string;
  candidateFingerprint: string;
  persons: number;
  personsChanged: number;
  gains: ProfileChange[];
  losses: ProfileChange[];
  modified: ProfileChange[];
  /** Sorted by system, then profile. */
  byProfile: ProfileTotals[];
}

export interface MappingPlanBuilder {
  add(person: TenantPerson): void;
  result(): MappingPlan;
}

const FIELDS = ["notBefore", "notAfter", "vendorRefs", "schedule", "critical"] as const;

function differingFields(a: DesiredGrant, b: DesiredGrant): string[] {
  return FIELDS.filter((f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]));
}

/** Streaming form, for persons read page by page from the directory. */
export function createMappingPlan(current: MappingSet, candidate: MappingSet, now: Date): MappingPlanBuilder {
  const plan: MappingPlan = {
    currentFingerprint: current.fingerprint,
    candidateFingerprint: candidate.fingerprint,
    persons: 0,
    personsChanged: 0,
    gains: [],
    losses: [],
    modified: [],
    byProfile: [],
  };
  const totals = new Map<string, ProfileTotals>();
  const count = (c: ProfileChange, field: "gains" | "losses" | "modified") => {
    const key = `${c.system}\u0000${c.profile}`;
    let t = totals.get(key);
    if (!t) {
      t = { system: c.system, profile: c.profile, gains: 0, losses: 0, modified: 0 };
      totals.set(key, t);
    }
    t[field]++;
    plan[field].push(c);
  };
  return {
    add(person) {
      plan.persons++;
      const before = new Map(
        desiredGrants(person, person.tenant, current, now).map((g) => [`${g.system}/${g.profile}`, g]),
      );
      const after = desiredGrants(person, person.tenant, candidate, now);
      const base = { tenant: person.tenant, personId: person.user.id, userName: person.user.userName };
      const changesBefore = plan.gains.length + plan.losses.length + plan.modified.length;
      for (const g of after) {
        const key = `${g.system}/${g.profile}`;
        const old = before.get(key);
        before.delete(key);
        if (!old) count({ ...base, system: g.system, profile: g.profile }, "gains");
        else {
          const fields = differingFields(old, g);
          if (fields.length > 0) count({ ...base, system: g.system, profile: g.profile, fields }, "modified");
        }
      }
      for (const g of before.values()) count({ ...base, system: g.system, profile: g.profile }, "losses");
      if (plan.gains.length + plan.losses.length + plan.modified.length > changesBefore)
        plan.personsChanged++;
    },
    result() {
      plan.byProfile = [...totals.values()].sort((a, b) =>
        a.system === b.system ? (a.profile < b.profile ? -1 : 1) : a.system < b.system ? -1 : 1,
      );
      return plan;
    },
  };
}

export function planMappingChange(
  persons: Iterable<TenantPerson>,
  current: MappingSet,
  candidate: MappingSet,
  now: Date,
): MappingPlan {
  const builder = createMappingPlan(current, candidate, now);
  for (const p of persons) builder.add(p);
  return builder.result();
}
