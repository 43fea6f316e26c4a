// The page shell every console page shares: landmarks (header, nav, main), a skip link, our own CSS
// and htmx from /console/assets (no CDN), and the CSRF header htmx sends with every write.
import type { ConsoleActor } from "./console-deps";
import { html, type SafeHtml } from "./html";

export const CONSOLE_BASE = "/console";

const NAV: Array<[string, string]> = [
  ["persons", "Persons"],
  ["pending", "Pending revocations"],
  ["attention", "Needs attention"],
  ["systems", "Key systems & queues"],
  ["audit", "Audit"],
  ["plan", "Mapping plan"],
  ["report", "Evidence report"],
];

export interface PageOptions {
  title: string;
  /** The nav entry to mark as current (aria-current). */
  section?: string;
  actor?: ConsoleActor;
  /** Sent by htmx as X-Keybridge-CSRF on every request (the admin session's per-session token). */
  csrf?: string;
}

function navigation(options: PageOptions): SafeHtml {
  const items = NAV.map(
    ([path, label]) =>
      html`<li><a href="${CONSOLE_BASE}/${path}"${options.section === path ? html` aria-current="page"` : ""}>${label}</a></li>`,
  );
  return html`<nav aria-label="Console sections"><ul>${items}</ul></nav>`;
}

function signedIn(actor: ConsoleActor | undefined): SafeHtml {
  if (!actor) return html``;
  return html`<p class="who">Signed in as <strong>${actor.name}</strong> (${actor.role})
    <button type="button" id="sign-out" data-sign-out>Sign out</button></p>`;
}

export function renderPage(options: PageOptions, body: SafeHtml): string {
  // htmx would otherwise inject an inline <style>, which the CSP (default-src 'self') refuses.
  const htmxConfig = JSON.stringify({ includeIndicatorStyles: false, allowEval: false });
  const headers = options.csrf ? JSON.stringify({ "X-Keybridge-CSRF": options.csrf }) : undefined;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="htmx-config" content="${htmxConfig}">
<title>${options.title} · keybridge</title>
<link rel="stylesheet" href="${CONSOLE_BASE}/assets/console.css">
<script src="${CONSOLE_BASE}/assets/htmx.min.js" defer></script>
<script src="${CONSOLE_BASE}/assets/console.js" defer></script>
</head>
<body${headers ? html` hx-headers="${headers}"` : ""}>
<a class="skip" href="#main">Skip to content</a>
<header><p class="brand"><a href="${CONSOLE_BASE}/persons">keybridge console</a></p>${signedIn(options.actor)}</header>
${options.actor ? navigation(options) : ""}
<main id="main" tabindex="-1">
<h1>${options.title}</h1>
${body}
</main>
</body>
</html>
`.text;
}

/** A short status line htmx swaps into a page after an action (role=status is read out). */
export function notice(kind: "ok" | "error", text: string): SafeHtml {
  return html`<p class="notice ${kind}" role="${kind === "error" ? "alert" : "status"}">${text}</p>`;
}

/** Times as operators read them: ISO without milliseconds, UTC marked. */
export function formatTime(iso: string | undefined): string {
  if (!iso) return "—";
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
