// Key systems and their queues: depth, oldest waiting job, paused, last failure; refreshed every 5 s so
// a key system that stopped draining shows up while the operator watches.
import type { Request, Response } from "express";
import { readKeySystemStatus } from "../operations/key-system-status";
import type { ConsoleDeps } from "./console-deps";
import { html, type SafeHtml } from "./html";
import { CONSOLE_BASE, formatTime, renderPage } from "./layout";
import { pageOptions } from "./page-context";

/** "42 s", "7 min", "3.5 h": enough to tell a queue that drains from one that is stuck. */
function formatAge(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

async function systemsTable(deps: ConsoleDeps): Promise<SafeHtml> {
  const now = deps.clock.now();
  const statuses = await readKeySystemStatus(deps.queues, deps.configured, now);
  const rows = statuses.map(
    (s) => html`<tr data-system="${s.system}"><th scope="row">${s.system}</th>
      <td>${s.configured ? "yes" : "no (changes deferred)"}</td>
      <td>${s.paused ? html`<strong class="state state-failed">paused</strong>` : "running"}</td>
      <td>${s.depth}</td><td>${s.counts.prioritized ?? 0} / ${s.counts.waiting ?? 0} / ${s.counts.delayed ?? 0} / ${s.counts.active ?? 0}</td>
      <td>${s.oldestJobAgeSeconds > 0 ? formatAge(s.oldestJobAgeSeconds) : "—"}</td><td>${s.counts.failed ?? 0}</td>
      <td>${s.lastError ? html`${formatTime(s.lastError.at)}: ${s.lastError.message}` : "—"}</td></tr>`,
  );
  return html`<p class="updated">Updated ${formatTime(now.toISOString())}</p>
    <table><caption>Reconcile queues, one per key system</caption><thead><tr><th scope="col">Key system</th>
    <th scope="col">Configured</th><th scope="col">Queue</th><th scope="col">Depth</th>
    <th scope="col">Prioritized / waiting / delayed / active</th><th scope="col">Oldest waiting job (age)</th>
    <th scope="col">Failed (kept 30 days)</th><th scope="col">Last failure</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function systemsTableFragment(deps: ConsoleDeps) {
  return async (_req: Request, res: Response): Promise<void> => {
    res.type("html").send((await systemsTable(deps)).text);
  };
}

export function systemsPage(deps: ConsoleDeps) {
  return async (_req: Request, res: Response): Promise<void> => {
    const body = html`<div hx-get="${CONSOLE_BASE}/systems/table" hx-trigger="every 5s" hx-swap="innerHTML">${await systemsTable(deps)}</div>`;
    res.type("html").send(renderPage(pageOptions(res, "Key systems & queues", "systems"), body));
  };
}
