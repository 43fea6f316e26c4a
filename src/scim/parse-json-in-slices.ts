// Parses a big SCIM body (Okta's full group push: up to scim.maxGroupBodyBytes) in stretches that yield
// to the event loop, so one 10 MiB body does not block every tenant for the 130-400 ms of one
// JSON.parse (issue #9 item 3). Small values are still parsed by JSON.parse, a batch at a time; only
// containers too big for one stretch are walked here. Same result and same refusals as parseJsonBody
// on the body's text. It works on the body's UTF-8 bytes and decodes only each batch it hands to
// JSON.parse: the body is never one 10 MiB string (decoding it, and flattening the string body-parser
// builds chunk by chunk, took 25-45 ms in one stretch). Batches start and end at ASCII structural
// characters, so no multi-byte character is ever split and each decodes as in the whole.
import { checkParsedInSlices, DETAIL_MALFORMED_JSON, DETAIL_TOO_DEEP } from "./check-json-body";
import { bytesStringEnd, scanNestingDepthBytes } from "./json-nesting-depth";
import { ScimError } from "./scim-error";
import { TimeSlicer } from "../store/yield-to-event-loop";

/** Containers and runs of array elements up to this many bytes go to JSON.parse in one call. */
export const BATCH_BYTES = 32 * 1024;

/** Bytes of the body the nesting-depth scan covers between two looks at the clock. */
const SCAN_BYTES = 256 * 1024;

export interface SlicedParseLimits {
  maxNestingDepth: number;
  maxStringLength: number;
  /** BATCH_BYTES unless a test wants the walk here to cover small bodies too. */
  batchBytes?: number;
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
    private readonly text: Buffer,
    private readonly slicer: TimeSlicer,
    private readonly batchBytes: number,
  ) {}

  /** The byte at `at`; -1 past the end (as NaN from charCodeAt: equal to nothing). */
  byte(at: number): number {
    return this.text[at] ?? -1;
  }

  skipSpace(at: number): number {
    let i = at;
    while (i < this.text.length && isSpace(this.text[i]!)) i++;
    return i;
  }

  /** JSON.parse of `text[from, to)`; it is the authority on every value it is given. */
  parseSlice(from: number, to: number, wrap = false): unknown {
    const slice = this.text.toString("utf8", from, to);
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
      const c = this.byte(i);
      if (c === 0x22) {
        const end = bytesStringEnd(this.text, i + 1);
        if (end === -1) return malformed();
        i = end - 1;
      } else if (c === 0x7b || c === 0x5b) depth++;
      else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
    }
    return -1;
  }

  /** End of the string or scalar (number, true, false, null, or garbage JSON.parse refuses) at `at`. */
  scalarEnd(at: number): number {
    if (this.byte(at) === 0x22) {
      const end = bytesStringEnd(this.text, at + 1);
      return end === -1 ? malformed() : end;
    }
    let i = at;
    for (; i < this.text.length; i++) {
      const c = this.byte(i);
      if (c === 0x2c || c === 0x5d || c === 0x7d || isSpace(c)) break;
    }
    return i === at ? malformed() : i;
  }

  async value(at: number): Promise<[unknown, number]> {
    const c = this.byte(at);
    if (c === 0x7b || c === 0x5b) {
      const end = this.containerEnd(at, this.batchBytes);
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
    if (this.byte(i) === 0x5d) return [out, i + 1];
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
      const c = this.byte(i);
      const small = c === 0x7b || c === 0x5b ? this.containerEnd(i, this.batchBytes) : this.scalarEnd(i);
      if (small === -1) {
        await flush();
        const [item, end] = await this.value(i);
        out.push(item);
        i = end;
      } else {
        if (runStart === -1) runStart = i;
        runEnd = small;
        i = small;
        if (runEnd - runStart >= this.batchBytes) await flush();
      }
      i = this.skipSpace(i);
      const next = this.byte(i);
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
    if (this.byte(i) === 0x7d) return [out, i + 1];
    for (;;) {
      if (this.byte(i) !== 0x22) return malformed();
      const keyEnd = this.scalarEnd(i);
      const key = this.parseSlice(i, keyEnd) as string;
      i = this.skipSpace(keyEnd);
      if (this.byte(i) !== 0x3a) return malformed();
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
      const next = this.byte(i);
      if (next === 0x7d) return [out, i + 1];
      if (next !== 0x2c) return malformed();
      i = this.skipSpace(i + 1);
    }
  }
}

/** JSON's whitespace and what String.prototype.trim also skips, as far as one ASCII byte can say. */
function isAsciiSpace(c: number): boolean {
  return isSpace(c) || c === 0x0b || c === 0x0c;
}

/**
 * `text.trim() === ""` for the text of `bytes` (an empty body is `{}`), without decoding it: only a
 * body starting with non-ASCII after its ASCII spaces (U+00A0, U+2028…) is decoded to decide.
 */
function isBlank(bytes: Buffer): boolean {
  let i = 0;
  while (i < bytes.length && isAsciiSpace(bytes[i]!)) i++;
  if (i === bytes.length) return true;
  return bytes[i]! >= 0x80 && bytes.toString("utf8").trim() === "";
}

/**
 * parseJsonBody for big bodies, on the body's UTF-8 bytes: the nesting depth first (before any parsing,
 * as there), then the value, then the checks of check-json-body.ts, each stage in stretches of about
 * SLICE_MS. The bytes' length stands in for the text's in needsWalk: it is never shorter, and walking
 * a body that did not need it refuses nothing more.
 */
export async function parseJsonBytesInSlices(bytes: Buffer, limits: SlicedParseLimits): Promise<unknown> {
  if (isBlank(bytes)) return {};
  const slicer = new TimeSlicer();
  const scan = { at: 0, depth: 0 };
  while (scan.at < bytes.length) {
    if (!scanNestingDepthBytes(bytes, limits.maxNestingDepth, scan, scan.at + SCAN_BYTES))
      throw new ScimError(400, "invalidSyntax", DETAIL_TOO_DEEP);
    await slicer.pause();
  }
  const parser = new SlicedJsonParser(bytes, slicer, limits.batchBytes ?? BATCH_BYTES);
  const start = parser.skipSpace(0);
  const [value, end] = await parser.value(start);
  if (parser.skipSpace(end) !== bytes.length) malformed();
  if (bytes.length > limits.maxStringLength || bytes.includes("__proto__") || bytes.includes("\\u"))
    await checkParsedInSlices(value, limits.maxStringLength, slicer);
  return value;
}
