// HTML escaping for the console: every value interpolated into a page goes through `html`, which
// escapes it unless it is already SafeHtml (a fragment built by `html` itself), so no page can forget.
import { escapeHtml } from "../report/html-escape";

/** A fragment of markup that is already safe to send: built by `html`, never from raw input. */
export class SafeHtml {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Interpolated = SafeHtml | string | number | boolean | null | undefined | Interpolated[];

function render(value: Interpolated): string {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join("");
  if (value === null || value === undefined || value === false) return "";
  return escapeHtml(value);
}

/** Tagged template: literal parts are trusted markup, every `${value}` is escaped (arrays joined). */
export function html(parts: TemplateStringsArray, ...values: Interpolated[]): SafeHtml {
  let out = parts[0] ?? "";
  values.forEach((v, i) => {
    out += render(v) + (parts[i + 1] ?? "");
  });
  return new SafeHtml(out);
}

/** A query string from parameters, for links (undefined and empty values left out). */
export function queryString(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") search.set(k, v);
  const text = search.toString();
  return text ? `?${text}` : "";
}
