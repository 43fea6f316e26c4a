// The shape of one mapping document (KeySystem, Profile or Rule), as zod schemas: the single source of
// both load-time validation and mappings/mapping.schema.json (editor validation as you type).
import { z } from "zod";

export const MAPPING_API_VERSION = "keybridge.io/v1";

const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lower-case letters, digits and '-', at most 63 characters");

/** A value test on one attribute: equals a scalar, is one of a list, or is (not) present. */
export const valueMatcherSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.strictObject({ in: z.array(z.union([z.string(), z.number()])).min(1) }),
  z.strictObject({ present: z.boolean() }),
]);
export type ValueMatcher = z.infer<typeof valueMatcherSchema>;

const presenceSchema = z.strictObject({ present: z.boolean() });

/** Groups are matched by id or externalId; displayName only with an explicit opt-in (renames change access). */
export const groupSelectorSchema = z.strictObject({
  id: z.string().min(1).optional(),
  externalId: z.string().min(1).optional(),
  displayName: z.string().min(1).optional(),
  byDisplayName: z.literal(true).optional(),
});
export type GroupSelector = z.infer<typeof groupSelectorSchema>;

/** Attributes a leaf condition may name, and where each lives in the stored SCIM user. */
export const CONDITION_ATTRIBUTES = {
  role: "roles[].value",
  entitlement: "entitlements[].value",
  department: "enterprise",
  division: "enterprise",
  costCenter: "enterprise",
  organization: "enterprise",
  employeeType: "enterprise",
  employeeNumber: "enterprise",
  site: "keybridge",
  accessValidFrom: "keybridge",
  accessValidUntil: "keybridge",
  userType: "core",
  title: "core",
  active: "core",
  locale: "core",
  preferredLanguage: "core",
  timezone: "core",
} as const;
export type ConditionAttribute = keyof typeof CONDITION_ATTRIBUTES;

export interface ConditionInput {
  all?: ConditionInput[];
  any?: ConditionInput[];
  not?: ConditionInput;
  group?: GroupSelector;
  role?: ValueMatcher;
  entitlement?: ValueMatcher;
  department?: ValueMatcher;
  division?: ValueMatcher;
  costCenter?: ValueMatcher;
  organization?: ValueMatcher;
  employeeType?: ValueMatcher;
  employeeNumber?: ValueMatcher;
  site?: ValueMatcher;
  accessValidFrom?: { present: boolean };
  accessValidUntil?: { present: boolean };
  userType?: ValueMatcher;
  title?: ValueMatcher;
  active?: boolean;
  locale?: ValueMatcher;
  preferredLanguage?: ValueMatcher;
  timezone?: ValueMatcher;
}

/** One object with exactly one key: a combinator (all/any/not) or an attribute test. */
export const conditionSchema: z.ZodType<ConditionInput> = z.lazy(() =>
  z
    .strictObject({
      all: z.array(conditionSchema).optional(),
      any: z.array(conditionSchema).optional(),
      not: conditionSchema.optional(),
      group: groupSelectorSchema.optional(),
      role: valueMatcherSchema.optional(),
      entitlement: valueMatcherSchema.optional(),
      department: valueMatcherSchema.optional(),
      division: valueMatcherSchema.optional(),
      costCenter: valueMatcherSchema.optional(),
      organization: valueMatcherSchema.optional(),
      employeeType: valueMatcherSchema.optional(),
      employeeNumber: valueMatcherSchema.optional(),
      site: valueMatcherSchema.optional(),
      accessValidFrom: presenceSchema.optional(),
      accessValidUntil: presenceSchema.optional(),
      userType: valueMatcherSchema.optional(),
      title: valueMatcherSchema.optional(),
      active: z.boolean().optional(),
      locale: valueMatcherSchema.optional(),
      preferredLanguage: valueMatcherSchema.optional(),
      timezone: valueMatcherSchema.optional(),
    })
    .meta({
      id: "Condition",
      description: "exactly one of: all, any, not, or one attribute test",
      minProperties: 1,
      maxProperties: 1,
    }),
);

const isoDuration = z.string().describe("ISO 8601 duration in weeks, days, hours, minutes, e.g. P30D, PT12H");
const isoInstant = z.string().describe("ISO 8601 instant, e.g. 2026-12-31T23:00:00Z");

export const keySystemDocSchema = z.strictObject({
  apiVersion: z.literal(MAPPING_API_VERSION),
  kind: z.literal("KeySystem"),
  id: name.describe("key system id, referenced by profiles and by config.keySystems"),
  driver: z.enum(["memory", "iloq", "cliq"]),
  scope: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .optional()
    .describe(
      "where the key system lives in the vendor installation, in the shape its driver declares: iLOQ lockGroupId/zoneId, CLIQ domain; memory none",
    ),
  timeZone: z.string().optional().describe("IANA zone of the locking system; date-only HR dates use it"),
  description: z.string().optional(),
});

export const windowSchema = z.strictObject({
  days: z.array(z.enum(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])).min(1),
  start: z.string().describe("HH:MM local time on the 15-minute grid"),
  end: z.string().describe("HH:MM local time on the 15-minute grid, after start; 24:00 allowed"),
});

export const profileDocSchema = z.strictObject({
  apiVersion: z.literal(MAPPING_API_VERSION),
  kind: z.literal("Profile"),
  name: name.describe("stable logical profile name; rules and the grant ledger refer to it"),
  description: z.string().optional(),
  critical: z.boolean().default(false).describe("CER critical-entity flag; feeds audit and approvals"),
  maxValidity: isoDuration.optional(),
  schedule: z.strictObject({ timeZone: z.string(), windows: z.array(windowSchema).min(1) }).optional(),
  keySystems: z
    .record(z.string(), z.strictObject({ vendorRefs: z.array(z.string().min(1)).min(1) }))
    .describe("per key system id: the opaque vendor references (iLOQ security access ids, CLIQ profiles)"),
});

export const validitySchema = z.strictObject({
  maxDays: z.number().int().positive().optional(),
  boundedByAccessValidUntil: z.boolean().default(true),
  notBeforeAccessValidFrom: z.boolean().default(true),
  notBefore: isoInstant.optional(),
  notAfter: isoInstant.optional(),
});

export const ruleDocSchema = z.strictObject({
  apiVersion: z.literal(MAPPING_API_VERSION),
  kind: z.literal("Rule"),
  name: name,
  description: z.string().optional(),
  tenants: z.union([z.literal("all"), z.array(z.string().min(1))]).default("all"),
  match: conditionSchema,
  grants: z.array(name).min(1).describe("profile names"),
  validity: validitySchema.optional(),
});

export type KeySystemDoc = z.infer<typeof keySystemDocSchema>;
export type ProfileDoc = z.infer<typeof profileDocSchema>;
export type RuleDoc = z.infer<typeof ruleDocSchema>;
export type ValidityDoc = z.infer<typeof validitySchema>;

export const DOC_SCHEMAS = {
  KeySystem: keySystemDocSchema,
  Profile: profileDocSchema,
  Rule: ruleDocSchema,
} as const;
export type MappingKind = keyof typeof DOC_SCHEMAS;
