// Parses a big SCIM body (Okta's full group push: up to scim.maxGroupBodyBytes) in stretches that yield
// to the event loop, so one 10 MiB body does not block every tenant for the 130-400 ms of one
// JSON.parse (issue #9 item 3). Small values are still parsed by JSON.parse, a batch at a time; only
// containers too big for one stretch are walked here. Same result and same refusals as parseJsonBody.
import { checkParsedInSlices, DETAIL_MALFORMED_JSON, DETAIL_TOO_DEEP, needsWalk } from "./check-json-body";
import { scanNestingDepth, stringEnd } from "./json-nesting-depth";
import { ScimError } from "./scim-error";
import { TimeSlicer } from "../store/yield-to-event-loop";

/** Containers and runs of array elements up to this many characters go to JSON.parse in one call. */
export const BATCH_CHARS = 32 * 1024;

/** Characters of the raw text the nesting-depth scan covers between two looks at the clock. */
const SCAN_CHARS = 256 * 1024;

export interface SlicedParseLimits {
  maxNestingDepth: number;
  maxStringLength: number;
  /** BATCH_CHARS unless a test wants the walk here to cover small bodies too. */
  batchChars?: number;
}

function malformed(): never {
  throw new ScimError(400, "invalidSyntax", DETAIL_MALFORMED_JSON);
}

/** JSON's four whitespace characters (RFC 8259 §2); `trim()` would also skip U+00A0 and friends. */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

class SlicedJsonParser {
  constructor(
    private readonly text: string,
    private readonly slicer: TimeSlicer,
    private readonly batchChars: number,
  ) {}

  skipSpace(at: number): number {
    let i = at;
    while (i < this.text.length && isSpace(this.text.charCodeAt(i))) i++;
    return i;
  }

  /** JSON.parse of `text[from, to)`; it is the authority on every value it is given. */
  parseSlice(from: number, to: number, wrap = false): unknown {
    const slice = this.text.slice(from, to);
    try {
      return JSON.parse(wrap ? `[${slice}]` : slice);
    } catch {
      return malformed();
    }
  }

  /**
   * End of the object or array at `at` if it closes within `limit` characters, else -1. Brackets are
   * counted regardless of kind: a mismatched slice is then refused by JSON.parse.
   */
  containerEnd(at: number, limit: number): number {
    const stop = Math.min(this.text.length, at + limit);
    let depth = 0;
    for (let i = at; i < stop; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 0x22) {
        const end = stringEnd(this.text, i + 1);
        if (end === -1) return malformed();
        i = end - 1;
      } else if (c === 0x7b || c === 0x5b) depth++;
      else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
    }
    return -1;
  }

  /** End of the string or scalar (number, true, false, null, or garbage JSON.parse refuses) at `at`. */
  scalarEnd(at: number): number {
    if (this.text.charCodeAt(at) === 0x22) {
      const end = stringEnd(this.text, at + 1);
      return end === -1 ? malformed() : end;
    }
    let i = at;
    for (; i < this.text.length; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 0x2c || c === 0x5d || c === 0x7d || isSpace(c)) break;
    }
    return i === at ? malformed() : i;
  }

  async value(at: number): Promise<[unknown, number]> {
    const c = this.text.charCodeAt(at);
    if (c === 0x7b || c === 0x5b) {
      const end = this.containerEnd(at, this.batchChars);
      if (end !== -1) return [this.parseSlice(at, end), end];
      return c === 0x7b ? this.object(at) : this.array(at);
    }
    const end = this.scalarEnd(at);
    return [this.parseSlice(at, end), end];
  }

  /** A big array: runs of small elements are parsed together as one wrapped slice. */
  async array(at: number): Promise<[unknown[], number]> {
    const out: unknown[] = [];
    let i = this.skipSpace(at + 1);
    if (this.text.charCodeAt(i) === 0x5d) return [out, i + 1];
    let runStart = -1;
    let runEnd = -1;
    const flush = async () => {
      if (runStart === -1) return;
      for (const item of this.parseSlice(runStart, runEnd, true) as unknown[]) out.push(item);
      runStart = -1;
      await this.slicer.pause();
    };
    for (;;) {
      if (i >= this.text.length) return malformed();
      const c = this.text.charCodeAt(i);
      const small = c === 0x7b || c === 0x5b ? this.containerEnd(i, this.batchChars) : this.scalarEnd(i);
      if (small === -1) {
        await flush();
        const [item, end] = await this.value(i);
        out.push(item);
        i = end;
      } else {
        if (runStart === -1) runStart = i;
        runEnd = small;
        i = small;
        if (runEnd - runStart >= this.batchChars) await flush();
      }
      i = this.skipSpace(i);
      const next = this.text.charCodeAt(i);
      if (next === 0x5d) {
        await flush();
        return [out, i + 1];
      }
      if (next !== 0x2c) return malformed();
      i = this.skipSpace(i + 1);
    }
  }

  /** A big object, member by member; `__proto__` stays an own property as with JSON.parse. */
  async object(at: number): Promise<[Record<string, unknown>, number]> {
    const out: Record<string, unknown> = {};
    let i = this.skipSpace(at + 1);
    if (this.text.charCodeAt(i) === 0x7d) return [out, i + 1];
    for (;;) {
      if (this.text.charCodeAt(i) !== 0x22) return malformed();
      const keyEnd = this.scalarEnd(i);
      const key = this.parseSlice(i, keyEnd) as string;
      i = this.skipSpace(keyEnd);
      if (this.text.charCodeAt(i) !== 0x3a) return malformed();
      i = this.skipSpace(i + 1);
      if (i >= this.text.length) return malformed();
      const [item, end] = await this.value(i);
      // Assigning `__proto__` would set the prototype; check-json-body.ts refuses the own property.
      if (key === "__proto__")
        Object.defineProperty(out, key, {
          value: item,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      else out[key] = item;
      await this.slicer.pause();
      i = this.skipSpace(end);
      const next = this.text.charCodeAt(i);
      if (next === 0x7d) return [out, i + 1];
      if (next !== 0x2c) return malformed();
      i = this.skipSpace(i + 1);
    }
  }
}

/**
 * parseJsonBody for big bodies: the nesting depth first (before any parsing, as there), then the value,
 * then the checks of check-json-body.ts, each stage in stretches of about SLICE_MS.
 */
export async function parseJsonInSlices(text: string, limits: SlicedParseLimits): Promise<unknown> {
  if (text.trim() === "") return {};
  const slicer = new TimeSlicer();
  const scan = { at: 0, depth: 0 };
  while (scan.at < text.length) {
    if (!scanNestingDepth(text, limits.maxNestingDepth, scan, scan.at + SCAN_CHARS))
      throw new ScimError(400, "invalidSyntax", DETAIL_TOO_DEEP);
    await slicer.pause();
  }
  const parser = new SlicedJsonParser(text, slicer, limits.batchChars ?? BATCH_CHARS);
  const start = parser.skipSpace(0);
  const [value, end] = await parser.value(start);
  if (parser.skipSpace(end) !== text.length) malformed();
  if (needsWalk(text, limits.maxStringLength))
    await checkParsedInSlices(value, limits.maxStringLength, slicer);
  return value;
}
