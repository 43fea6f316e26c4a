// Needs attention and manual work items across the tenants, each with its action: clear a flag or
// close a work item, both with a mandatory reason (operations/clear-attention, complete-work-item).
import type { Request, Response } from "express";
import { listAttention } from "../operations/clear-attention";
import { listWorkItems } from "../operations/complete-work-item";
import { listPendingEmergencyRevokes, type PendingEmergencyRevoke } from "../operations/four-eyes";
import type { AttentionFlag, WorkItem } from "../reconcile/grant-ledger";
import { operatorDeps } from "./console-actions";
import type { ConsoleDeps } from "./console-deps";
import { html, type SafeHtml } from "./html";
import { CONSOLE_BASE, formatTime, renderPage } from "./layout";
import { pageOptions } from "./page-context";

function reasonForm(path: string, id: string, label: string, hidden: Record<string, string>): SafeHtml {
  const fields = Object.entries(hidden).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`);
  return html`<form class="inline" hx-post="${path}" hx-target="#${id}-result" hx-swap="innerHTML">${fields}
    <label for="${id}-reason">Reason</label>
    <input id="${id}-reason" name="reason" required maxlength="500">
    <button type="submit">${label}</button><span id="${id}-result" aria-live="polite"></span></form>`;
}

function personHref(tenant: string, personId: string): string {
  return `${CONSOLE_BASE}/persons/${encodeURIComponent(tenant)}/${encodeURIComponent(personId)}`;
}

function flagRow(tenant: string, f: AttentionFlag, i: number): SafeHtml {
  const form = reasonForm(`${CONSOLE_BASE}/attention/clear`, `flag-${i}`, "Clear", {
    tenant,
    personId: f.personId,
    system: f.system,
  });
  return html`<tr><td><a href="${personHref(tenant, f.personId)}">${f.personId}</a></td><td>${tenant}</td>
    <td>${f.system}</td><td>${f.kind}</td><td>${f.error ? `${f.error.code}: ${f.error.message}` : ""}</td>
    <td>${formatTime(f.at)}</td><td>${form}</td></tr>`;
}

function itemRow(w: WorkItem, i: number): SafeHtml {
  const form = reasonForm(`${CONSOLE_BASE}/work-items/close`, `item-${i}`, "Close", { id: w.id });
  return html`<tr><td><a href="${personHref(w.tenant, w.personId)}">${w.personId}</a></td><td>${w.tenant}</td>
    <td>${w.system}</td><td>${w.task.kind}</td><td>${w.task.reason}</td><td>${formatTime(w.createdAt)}</td>
    <td>${form}</td></tr>`;
}

function approvalRow(p: PendingEmergencyRevoke, i: number): SafeHtml {
  const fields = { tenant: p.target.tenant, id: p.id };
  const systems = p.target.systems?.join(", ") || "every key system";
  return html`<tr><td><a href="${personHref(p.target.tenant, p.target.personId)}">${p.target.personId}</a></td>
    <td>${p.target.tenant}</td><td>${systems}</td><td>${p.actor}</td><td>${p.reason}</td><td>${formatTime(p.at)}</td>
    <td>${reasonForm(`${CONSOLE_BASE}/emergency-revokes/approve`, `approve-${i}`, "Approve", fields)}
    ${reasonForm(`${CONSOLE_BASE}/emergency-revokes/reject`, `reject-${i}`, "Reject", fields)}</td></tr>`;
}

/** Emergency revokes another operator asked for (admin.fourEyes); the asker cannot approve their own. */
async function approvals(deps: ConsoleDeps, tenants: string[]): Promise<SafeHtml> {
  const pending: PendingEmergencyRevoke[] = [];
  for (const t of tenants) pending.push(...(await listPendingEmergencyRevokes(operatorDeps(deps), t)));
  if (pending.length === 0 && !deps.config.admin.fourEyes) return html``;
  return html`<section aria-labelledby="approvals"><h2 id="approvals">Emergency revokes awaiting approval (${pending.length})</h2>
    ${
      pending.length
        ? html`<table><thead><tr><th scope="col">Person</th><th scope="col">Tenant</th><th scope="col">Key systems</th>
      <th scope="col">Asked by</th><th scope="col">Reason</th><th scope="col">Since</th><th scope="col">Action</th></tr></thead>
      <tbody>${pending.map(approvalRow)}</tbody></table>`
        : html`<p>None.</p>`
    }</section>`;
}

export function attentionPage(deps: ConsoleDeps) {
  return async (_req: Request, res: Response): Promise<void> => {
    const tenants = await deps.tenants();
    const flags: Array<[string, AttentionFlag]> = [];
    for (const t of tenants) for (const f of await listAttention(deps.ledger, t)) flags.push([t, f]);
    const items = await listWorkItems(deps.ledger, tenants);
    const head = (last: string) => html`<thead><tr><th scope="col">Person</th><th scope="col">Tenant</th>
      <th scope="col">Key system</th><th scope="col">Kind</th><th scope="col">${last}</th>
      <th scope="col">Since</th><th scope="col">Action</th></tr></thead>`;
    const body = html`${await approvals(deps, tenants)}<section aria-labelledby="flags"><h2 id="flags">Needs attention (${flags.length})</h2>
      <p>Clearing a flag does not retry the person; use “Reconcile now” on the person page for that.</p>
      ${flags.length ? html`<table>${head("Error")}<tbody>${flags.map(([t, f], i) => flagRow(t, f, i))}</tbody></table>` : html`<p>None.</p>`}
      </section><section aria-labelledby="items"><h2 id="items">Work items (${items.length})</h2>
      ${items.length ? html`<table>${head("Task")}<tbody>${items.map(itemRow)}</tbody></table>` : html`<p>None.</p>`}
      </section>`;
    res.type("html").send(renderPage(pageOptions(res, "Needs attention", "attention"), body));
  };
}
