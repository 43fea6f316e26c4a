// The validity window one rule justifies for one profile in one key system, from HR dates, rule limits
// and the profile's maxValidity. Counting limits from a stable anchor (accessValidFrom, else the user's
// meta.created) keeps the window the same on every evaluation, so reconciling twice changes nothing.
import { KEYBRIDGE_USER_URN, type StoredUser } from "../store/directory-types";
import type { ProfileDef, RuleValidity } from "./mapping-set";
import { parseHrDate } from "./zoned-time";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Epoch ms; -Infinity / +Infinity mean open. */
export interface Window {
  from: number;
  until: number;
}

export type WindowResult = { ok: true; window: Window } | { ok: false; reason: string };

export const WINDOW_REASONS = {
  badFrom: "accessValidFrom is not a date; withheld (fail-safe)",
  badUntil: "accessValidUntil is not a date; withheld (fail-safe)",
  noAnchor: "no accessValidFrom and no valid meta.created to count the limit from; withheld",
  closed: "validity window already closed",
  empty: "validity window is empty (notBefore is not before notAfter)",
} as const;

export function ruleWindow(
  user: StoredUser,
  validity: RuleValidity,
  profile: ProfileDef,
  timeZone: string,
  now: number,
): WindowResult {
  const ext = user[KEYBRIDGE_USER_URN];
  const fromText = ext?.accessValidFrom;
  const untilText = ext?.accessValidUntil;
  const validFrom = fromText ? parseHrDate(fromText, timeZone, "start") : undefined;
  if (validFrom === null) return { ok: false, reason: WINDOW_REASONS.badFrom };
  let from = Number.NEGATIVE_INFINITY;
  let until = Number.POSITIVE_INFINITY;
  if (validity.notBeforeAccessValidFrom && validFrom !== undefined) from = validFrom;
  if (validity.notBeforeMs !== undefined) from = Math.max(from, validity.notBeforeMs);
  if (validity.boundedByAccessValidUntil && untilText) {
    const validUntil = parseHrDate(untilText, timeZone, "end");
    if (validUntil === null) return { ok: false, reason: WINDOW_REASONS.badUntil };
    until = validUntil;
  }
  if (validity.notAfterMs !== undefined) until = Math.min(until, validity.notAfterMs);
  if (validity.maxDays !== undefined || profile.maxValidityMs !== undefined) {
    const anchor = validFrom ?? Date.parse(user.meta.created);
    if (Number.isNaN(anchor)) return { ok: false, reason: WINDOW_REASONS.noAnchor };
    if (validity.maxDays !== undefined) until = Math.min(until, anchor + validity.maxDays * DAY_MS);
    if (profile.maxValidityMs !== undefined) until = Math.min(until, anchor + profile.maxValidityMs);
  }
  if (from >= until) return { ok: false, reason: WINDOW_REASONS.empty };
  if (until <= now) return { ok: false, reason: WINDOW_REASONS.closed };
  return { ok: true, window: { from, until } };
}

export interface Justification {
  rule: string;
  window: Window;
}

/**
 * Merges the windows several rules justify for one grant: overlapping or touching windows join, and the
 * earliest joined interval wins (it is current or next). Disjoint later windows are not bridged, because
 * the gap between them is justified by no rule; they become desired once the earlier one closes.
 */
export function mergeJustifications(items: Justification[]): { window: Window; rules: string[] } {
  if (items.length === 1) return { window: items[0]!.window, rules: [items[0]!.rule] };
  const sorted = [...items].sort((a, b) => a.window.from - b.window.from);
  const first = sorted[0]!;
  const window = { ...first.window };
  const rules = new Set([first.rule]);
  for (const j of sorted.slice(1)) {
    if (j.window.from > window.until) break;
    window.until = Math.max(window.until, j.window.until);
    rules.add(j.rule);
  }
  return { window, rules: [...rules].sort() };
}
