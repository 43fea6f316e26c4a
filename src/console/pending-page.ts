// The pending-revocations board, worst exposure first, and the revocations effective in the last hour;
// htmx re-fetches the board every 2 s (hx-trigger="every 2s"), so an operator sees a revocation reach
// effective without reloading the page.
import type { Request, Response } from "express";
import { listPendingRevocations } from "../operations/pending-revocations";
import type { ConsoleDeps } from "./console-deps";
import { html, type SafeHtml } from "./html";
import { CONSOLE_BASE, formatTime, renderPage } from "./layout";
import { pageOptions } from "./page-context";
import { readRecentRevocations } from "./recent-revocations";

const RECENT_MS = 3600_000;

interface BoardRow {
  tenant: string;
  system: string;
  personId: string;
  profile: string;
  state: string;
  /** Pending: exposure until (absent: no estimate). Effective: when it took effect. */
  time?: string;
  requestedAt?: string;
  lastError?: string;
}

/** userName per "tenant/personId"; a deleted person keeps only their id (the ledger outlives them). */
async function namesOf(deps: ConsoleDeps, rows: BoardRow[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const r of rows) {
    const key = `${r.tenant}/${r.personId}`;
    if (!names.has(key))
      names.set(key, (await deps.store.getUser(r.tenant, r.personId))?.userName ?? r.personId);
  }
  return names;
}

function table(caption: string, id: string, list: BoardRow[], names: Map<string, string>): SafeHtml {
  if (list.length === 0) return html`<p id="${id}-empty">${caption}: none.</p>`;
  const pending = id === "pending";
  const rows = list.map((r) => {
    const href = `${CONSOLE_BASE}/persons/${encodeURIComponent(r.tenant)}/${encodeURIComponent(r.personId)}`;
    const when = r.time ? formatTime(r.time) : "unknown — no estimate";
    return html`<tr data-person="${r.personId}" data-profile="${r.profile}" data-state="${r.state}">
      <td><a href="${href}">${names.get(`${r.tenant}/${r.personId}`) ?? r.personId}</a></td><td>${r.tenant}</td>
      <td>${r.system}</td><td>${r.profile}</td><td><span class="state state-${r.state}">${r.state}</span></td>
      <td>${when}</td>${pending ? html`<td>${formatTime(r.requestedAt)}</td><td>${r.lastError ?? ""}</td>` : ""}</tr>`;
  });
  return html`<table id="${id}"><caption>${caption}</caption><thead><tr><th scope="col">Person</th>
    <th scope="col">Tenant</th><th scope="col">Key system</th><th scope="col">Profile</th><th scope="col">State</th>
    <th scope="col">${pending ? "Exposure until" : "Effective at"}</th>
    ${pending ? html`<th scope="col">Requested</th><th scope="col">Last error</th>` : ""}</tr></thead>
    <tbody>${rows}</tbody></table>`;
}

async function board(deps: ConsoleDeps): Promise<SafeHtml> {
  const now = deps.clock.now();
  const pending: BoardRow[] = (await listPendingRevocations(deps, await deps.tenants())).map((p) => ({
    ...p,
    time: p.exposureUntil,
    lastError: p.lastError ? `${p.lastError.code}: ${p.lastError.message}` : undefined,
  }));
  const since = new Date(now.getTime() - RECENT_MS);
  const recent: BoardRow[] = (await readRecentRevocations(deps.redis, since)).map((r) => ({
    ...r,
    state: "effective",
    time: r.effectiveAt,
  }));
  const names = await namesOf(deps, [...pending, ...recent]);
  return html`<p class="updated">Updated ${formatTime(now.toISOString())}</p>
    ${table(`Pending revocations (${pending.length})`, "pending", pending, names)}
    ${table("Effective in the last hour", "recent", recent, names)}`;
}

/** The board alone: what htmx swaps in every 2 s. */
export function pendingBoard(deps: ConsoleDeps) {
  return async (_req: Request, res: Response): Promise<void> => {
    res.type("html").send((await board(deps)).text);
  };
}

export function pendingPage(deps: ConsoleDeps) {
  return async (_req: Request, res: Response): Promise<void> => {
    const body = html`<p>Revocations not yet in force at the doors, the longest exposure first; those without an
      estimate follow, oldest request first. The board refreshes every 2 seconds.</p>
      <div id="board" hx-get="${CONSOLE_BASE}/pending/board" hx-trigger="every 2s" hx-swap="innerHTML">${await board(deps)}</div>`;
    res.type("html").send(renderPage(pageOptions(res, "Pending revocations", "pending"), body));
  };
}
