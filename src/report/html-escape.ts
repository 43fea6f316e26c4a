// Escapes text for HTML element content and quoted attributes: every value in the evidence report
// that came from an IdP (userName, externalId) is untrusted.

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return "";
  return String(value).replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}
