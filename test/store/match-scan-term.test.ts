// Scan terms follow RFC 7644 §3.4.2.2 on stored resources: each row names the rule it protects.
import type { ScanTerm } from "../../src/store/directory-store-api";
import { matchesScanTerm } from "../../src/store/match-scan-term";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const user = {
  id: "u1",
  userName: "Ana@Example.com",
  title: "Engineer",
  active: false,
  emails: [
    { value: "ana@example.com", type: "work" },
    { value: "ana@home.example", type: "home" },
  ],
  meta: { created: "2026-03-01T10:00:00.000Z" },
  [ENT]: { department: "Ops" },
};

const term = (path: string[], op: ScanTerm["op"], value: ScanTerm["value"], extra: Partial<ScanTerm> = {}) =>
  ({ attr: "scan", path, op, value, negated: false, compare: "string", ...extra }) as ScanTerm;

test.each([
  ["strings compare case-insensitively unless caseExact", term(["title"], "eq", "ENGINEER"), true],
  ["caseExact strings compare exactly", term(["title"], "eq", "ENGINEER", { compare: "caseExact" }), false],
  ["a multi-valued attribute matches when any value does", term(["emails", "type"], "eq", "home"), true],
  ["ew on a string", term(["userName"], "ew", "example.com"), true],
  ["ne: no value equals", term(["emails", "type"], "ne", "home"), false],
  ["ne on an absent attribute matches", term(["nickName"], "ne", "x"), true],
  ["pr: present", term(["title"], "pr", undefined), true],
  ["pr: absent", term(["nickName"], "pr", undefined), false],
  ["negated", term(["title"], "eq", "engineer", { negated: true }), false],
  [
    "dates compare as instants",
    term(["meta", "created"], "gt", "2026-03-01T09:00:00Z", { compare: "dateTime" }),
    true,
  ],
  [
    "dates: le at the same instant",
    term(["meta", "created"], "le", "2026-03-01T11:00:00+01:00", { compare: "dateTime" }),
    true,
  ],
  ["booleans compare with eq", term(["active"], "eq", false, { compare: "boolean" }), true],
  ["extension attributes by URN key", term([ENT, "department"], "sw", "op"), true],
  ["ordering on strings", term(["title"], "lt", "F"), true],
])("%s", (_rule, t, expected) => {
  expect(matchesScanTerm(user, t)).toBe(expected);
});
