// Measures how deeply a JSON text nests, in one linear pass over the raw text and before JSON.parse:
// a body nested 10,000 levels deep would otherwise overflow the stack of every recursive walk after it.

/** Index just past the quote that closes the string whose content starts at `from`; -1 if none. */
export function stringEnd(text: string, from: number): number {
  let at = from;
  for (;;) {
    const quote = text.indexOf('"', at);
    if (quote === -1) return -1;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote + 1; // an even run of backslashes escapes itself, not the quote
    at = quote + 1;
  }
}

/** Where a resumable depth scan stands: the next index to read and the depth there. */
export interface DepthScan {
  at: number;
  depth: number;
}

/**
 * Advances `scan` to at least `until` (or the end of `text`). Returns false as soon as the nesting
 * passes `max`. Brackets inside strings do not count; malformed JSON is the parser's to reject.
 * Strings, most of a SCIM body, are skipped with indexOf rather than walked character by character.
 */
export function scanNestingDepth(text: string, max: number, scan: DepthScan, until = text.length): boolean {
  const stop = Math.min(until, text.length);
  let { at: i, depth } = scan;
  for (; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(text, i + 1);
      if (end === -1) {
        i = text.length; // an unterminated string: the parser rejects it
        break;
      }
      i = end - 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return false;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  scan.at = i;
  scan.depth = depth;
  return true;
}

/** True when `text` never nests objects and arrays deeper than `max` (one pass, stops past the limit). */
export function withinNestingDepth(text: string, max: number): boolean {
  return scanNestingDepth(text, max, { at: 0, depth: 0 });
}

/** stringEnd on UTF-8 bytes: `"` and `\` are single bytes that never occur inside a multi-byte character. */
export function bytesStringEnd(bytes: Uint8Array, from: number): number {
  let at = from;
  for (;;) {
    const quote = bytes.indexOf(0x22, at);
    if (quote === -1) return -1;
    let backslashes = 0;
    while (bytes[quote - 1 - backslashes] === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}

/** scanNestingDepth on the UTF-8 bytes of a body (brackets are single bytes too). */
export function scanNestingDepthBytes(
  bytes: Uint8Array,
  max: number,
  scan: DepthScan,
  until = bytes.length,
): boolean {
  const stop = Math.min(until, bytes.length);
  let { at: i, depth } = scan;
  for (; i < stop; i++) {
    const c = bytes[i]!;
    if (c === 0x22) {
      const end = bytesStringEnd(bytes, i + 1);
      if (end === -1) {
        i = bytes.length;
        break;
      }
      i = end - 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return false;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  scan.at = i;
  scan.depth = depth;
  return true;
}
