// The pending-revocations board, worst exposure first; htmx re-fetches the board every 2 s
// (hx-trigger="every 2s"), so a revocation is seen reaching effective without reloading the page.
import type { Request, Response } from "express";
import { listPendingRevocations, type RevocationRow } from "../operations/list-pending-revocations";
import type { ConsoleDeps } from "./console-deps";
import { html, type SafeHtml } from "./html";
import { CONSOLE_BASE, formatTime, renderPage } from "./layout";
import { pageOptions } from "./page-context";

/** userName per "tenant/personId"; a deleted person keeps only their id (the ledger outlives them). */
type Names = Map<string, string>;

async function namesOf(deps: ConsoleDeps, rows: RevocationRow[]): Promise<Names> {
  const names: Names = new Map();
  for (const r of rows) {
    const key = `${r.tenant}/${r.personId}`;
    if (names.has(key)) continue;
    names.set(key, (await deps.store.getUser(r.tenant, r.personId))?.userName ?? r.personId);
  }
  return names;
}

function personLink(r: RevocationRow, names: Names): SafeHtml {
  const href = `${CONSOLE_BASE}/persons/${encodeURIComponent(r.tenant)}/${encodeURIComponent(r.personId)}`;
  return html`<a href="${href}">${names.get(`${r.tenant}/${r.personId}`) ?? r.personId}</a>`;
}

function rows(list: RevocationRow[], effective: boolean, names: Names): SafeHtml[] {
  return list.map(
    (r) => html`<tr data-person="${r.personId}" data-profile="${r.profile}" data-state="${r.state}">
      <td>${personLink(r, names)}</td><td>${r.tenant}</td><td>${r.system}</td><td>${r.profile}</td>
      <td><span class="state state-${r.state}">${r.state}</span></td>
      <td>${effective ? formatTime(r.effectiveAt) : r.exposureUntil ? formatTime(r.exposureUntil) : "unknown — no estimate"}</td>
      <td>${formatTime(r.requestedAt)}</td><td>${r.lastError ?? ""}</td></tr>`,
  );
}

function table(
  caption: string,
  id: string,
  list: RevocationRow[],
  effective: boolean,
  names: Names,
): SafeHtml {
  if (list.length === 0) return html`<p id="${id}-empty">${caption}: none.</p>`;
  return html`<table id="${id}"><caption>${caption}</caption><thead><tr><th scope="col">Person</th>
    <th scope="col">Tenant</th><th scope="col">Key system</th><th scope="col">Profile</th><th scope="col">State</th>
    <th scope="col">${effective ? "Effective at" : "Exposure until"}</th><th scope="col">Requested</th>
    <th scope="col">Last error</th></tr></thead><tbody>${rows(list, effective, names)}</tbody></table>`;
}

async function board(deps: ConsoleDeps): Promise<SafeHtml> {
  const now = deps.clock.now();
  const b = await listPendingRevocations(deps.redis, await deps.tenants(), { now });
  const names = await namesOf(deps, [...b.pending, ...b.recentlyEffective]);
  return html`<p class="updated">Updated ${formatTime(now.toISOString())}</p>
    ${table(`Pending revocations (${b.pending.length})`, "pending", b.pending, false, names)}
    ${table("Effective in the last hour", "recent", b.recentlyEffective, true, names)}`;
}

/** The board alone: what htmx swaps in every 2 s. */
export function pendingBoard(deps: ConsoleDeps) {
  return async (_req: Request, res: Response): Promise<void> => {
    res.type("html").send((await board(deps)).text);
  };
}

export function pendingPage(deps: ConsoleDeps) {
  return async (_req: Request, res: Response): Promise<void> => {
    const body = html`<p>Revocations not yet in force at the doors, the longest exposure first. A revocation
      without an estimate has no known end and is listed first. The board refreshes every 2 seconds.</p>
      <div id="board" hx-get="${CONSOLE_BASE}/pending/board" hx-trigger="every 2s" hx-swap="innerHTML">${await board(deps)}</div>`;
    res.type("html").send(renderPage(pageOptions(res, "Pending revocations", "pending"), body));
  };
}
