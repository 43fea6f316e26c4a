// Measures how deeply a JSON text nests, in one linear pass over the raw text and before JSON.parse:
// a body nested 10,000 levels deep would otherwise overflow the stack of every recursive walk after it.

/** Index just past the quote that closes the string whose content starts at `from`; -1 if none. */
function stringEnd(text: string, from: number): number {
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

/**
 * True when `text` never nests objects and arrays deeper than `max`. Brackets inside strings do not
 * count; the scan stops at the first level past the limit. Malformed JSON is JSON.parse's to reject.
 * Strings, most of a SCIM body, are skipped with indexOf rather than walked character by character.
 */
export function withinNestingDepth(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(text, i + 1);
      if (end === -1) return true; // an unterminated string: JSON.parse rejects it
      i = end - 1;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return false;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    }
  }
  return true;
}
