// The checks every parsed SCIM body passes before any route sees it (issue #9 items 1 and 3): no member
// named `__proto__`, no lone UTF-16 surrogate, no string or member name over the string limit. One
// walk for ordinary bodies and a sliced one for big bodies, in the same order so both refuse alike.
import { ScimError } from "./scim-error";
import type { TimeSlicer } from "../store/yield-to-event-loop";

export const DETAIL_TOO_DEEP = "Request body nests objects and arrays too deeply.";
export const DETAIL_FORBIDDEN_NAME = 'Request body contains the member name "__proto__".';
export const DETAIL_LONE_SURROGATE = "Request body contains a lone UTF-16 surrogate.";
export const DETAIL_MALFORMED_JSON = "Request body is not valid JSON.";
export const DETAIL_STRING_TOO_LONG =
  "Request body contains a string longer than scim.limits.stringMaxLength.";

/**
 * JSON.parse makes `"__proto__"` an own data property, never a prototype (ECMA-262 §25.5.1), so a parsed
 * body is safe to hold; but every later `out[key] = value` copy would turn it into a prototype. We
 * reject such bodies rather than drop the key: no IdP sends it, so it only ever comes from an attack.
 * Both it and a lone surrogate (which Redis and the audit trail cannot store as UTF-8) can only reach the
 * parsed value through the literal name or a `\u` escape, so bodies without either skip the walk.
 */
const NEEDS_WALK = /__proto__|\\u/;

/** In a `u` regex a surrogate pair is one code point, so only a lone surrogate is a `Cs` character. */
const LONE_SURROGATE = /\p{Cs}/u;

/** A body no longer than the string limit cannot hold a string over it, so it may skip the walk. */
export function needsWalk(text: string, maxLength: number): boolean {
  return text.length > maxLength || NEEDS_WALK.test(text);
}

function checkString(text: string, maxLength: number): void {
  // A 5 MB displayName would make every page that lists its owner megabytes long (and stall readers).
  if (text.length > maxLength) throw new ScimError(400, "invalidValue", DETAIL_STRING_TOO_LONG);
  if (LONE_SURROGATE.test(text)) throw new ScimError(400, "invalidValue", DETAIL_LONE_SURROGATE);
}

/** Depth-bounded by the scan before parsing, so the recursion here cannot overflow. */
export function checkParsed(value: unknown, maxLength: number): void {
  if (typeof value === "string") {
    checkString(value, maxLength);
    return;
  }
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (const item of value) checkParsed(item, maxLength);
    return;
  }
  if (Object.hasOwn(value, "__proto__")) throw new ScimError(400, "invalidSyntax", DETAIL_FORBIDDEN_NAME);
  for (const [key, item] of Object.entries(value)) {
    checkString(key, maxLength);
    checkParsed(item, maxLength);
  }
}

/** Nodes visited between two looks at the clock. */
const NODES_PER_LOOK = 2048;

/** A container being walked: its children in order (member names interleaved before their values). */
interface Frame {
  children: unknown[] | Record<string, unknown>;
  keys?: string[];
  next: number;
}

/** The next value a frame yields: an array item, or for an object a name and then its value. */
function nextChild(frame: Frame): { done: boolean; value?: unknown } {
  if (frame.keys === undefined) {
    const items = frame.children as unknown[];
    return frame.next < items.length ? { done: false, value: items[frame.next++] } : { done: true };
  }
  const at = frame.next++;
  if (at >= frame.keys.length * 2) return { done: true };
  const key = frame.keys[at >> 1]!;
  return { done: false, value: at % 2 === 0 ? key : (frame.children as Record<string, unknown>)[key] };
}

/**
 * checkParsed in slices: the same visits in the same order, with an explicit stack of frames instead
 * of recursion, so a 200,000-member list is walked a slice at a time rather than copied onto a stack.
 */
export async function checkParsedInSlices(
  root: unknown,
  maxLength: number,
  slicer: TimeSlicer,
): Promise<void> {
  const frames: Frame[] = [];
  let value: unknown = root;
  let visited = 0;
  for (;;) {
    if (++visited % NODES_PER_LOOK === 0) await slicer.pause();
    if (typeof value === "string") checkString(value, maxLength);
    else if (Array.isArray(value)) frames.push({ children: value, next: 0 });
    else if (value !== null && typeof value === "object") {
      if (Object.hasOwn(value, "__proto__")) throw new ScimError(400, "invalidSyntax", DETAIL_FORBIDDEN_NAME);
      frames.push({ children: value as Record<string, unknown>, keys: Object.keys(value), next: 0 });
    }
    let step: { done: boolean; value?: unknown } = { done: true };
    while (frames.length > 0) {
      step = nextChild(frames.at(-1)!);
      if (!step.done) break;
      frames.pop();
    }
    if (step.done) return;
    value = step.value;
  }
}
