// Escapes text for HTML element content and quoted attributes: every value in the evidence report
// and the console that came from an IdP (userName, externalId) is untrusted. The one HTML escaper.

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

export function escapeHtml(value: unknown): string {
  if (value === undefined || value === null) return "";
  return String(value).replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}
