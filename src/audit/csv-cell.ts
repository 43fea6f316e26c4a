// The one CSV encoder (RFC 4180) for every spreadsheet export — the audit export and the evidence
// report — with the guard against CSV formula injection: userNames and reasons come from the IdP or an
// operator and are not trusted (OWASP "CSV injection").

/**
 * Quotes a cell when needed; a text a spreadsheet would run as a formula (=, +, -, @, tab, CR first)
 * gets a leading apostrophe. Numbers and booleans are our own figures and stay as they are (-5 is data).
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line, CRLF-terminated as RFC 4180 asks. */
export function csvRow(cells: readonly unknown[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}
