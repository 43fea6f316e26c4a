// The person page: per key system each grant with its state and exposureUntil, the rules and attribute
// values behind it (access explain), the revocation timeline, and the operator's actions on the person.
import type { Request, Response } from "express";
import { explainPerson, type ExplainedGrant } from "../mapping/explain-person";
import { OperatorSuspensions } from "../operations/operator-suspensions";
import { type GrantStatus, readAccessStatus, type SystemStatus } from "../reconcile/read-access-status";
import type { ConsoleDeps } from "./console-deps";
import { html, type SafeHtml } from "./html";
import { CONSOLE_BASE, formatTime, renderPage } from "./layout";
import { pageOptions } from "./page-context";
import { personActions } from "./person-actions";
import { readPersonTimeline, type TimelineEntry } from "./person-timeline";

const TIMELINE_DAYS = 30;

function rulesCell(g: GrantStatus, why: ExplainedGrant | undefined): SafeHtml {
  if (!why) return html`<span class="rule">${g.rules.join(", ") || "—"}</span>`;
  return html`<ul class="reasons">${why.reasons.map(
    (r) => html`<li><span class="rule">${r.rule}</span>${r.description ? html` — ${r.description}` : ""}
      <small>(${r.source})</small><ul>${r.evidence.map(
        (e) =>
          html`<li><code>${e.condition}</code>: <span class="seen">${e.seen.join(", ") || "no value"}</span></li>`,
      )}</ul></li>`,
  )}</ul>`;
}

function systemSection(sys: SystemStatus, explained: Map<string, ExplainedGrant>): SafeHtml {
  const rows = sys.grants.map(
    (g) => html`<tr data-profile="${g.profile}">
      <th scope="row">${g.profile}</th><td>${g.desired ? "yes" : "no"}</td>
      <td><span class="state state-${g.state}">${g.action ?? "—"} ${g.state}</span></td>
      <td>${formatTime(g.exposureUntil)}</td>
      <td>${g.lastError ? `${g.lastError.code}: ${g.lastError.message}` : ""}</td>
      <td>${rulesCell(g, explained.get(`${sys.system}/${g.profile}`))}</td></tr>`,
  );
  const synced = sys.reconciledAt ? `reconciled ${formatTime(sys.reconciledAt)}` : "never reconciled";
  return html`<section aria-labelledby="sys-${sys.system}">
    <h2 id="sys-${sys.system}">Key system ${sys.system}</h2>
    <p>${sys.configured ? synced : "not configured: changes wait until it is"}</p>
    ${sys.attention ? html`<p class="notice error">Needs attention: ${sys.attention.kind} since ${formatTime(sys.attention.at)}</p>` : ""}
    ${sys.workItems.map((w) => html`<p>Work item ${w.id}: ${w.task.kind} (${w.task.reason})</p>`)}
    ${
      rows.length === 0
        ? html`<p>No desired or held grants.</p>`
        : html`<table><caption>Grants in ${sys.system}</caption><thead><tr><th scope="col">Profile</th>
      <th scope="col">Desired</th><th scope="col">State</th><th scope="col">Exposure until</th>
      <th scope="col">Last error</th><th scope="col">Why (rules and values)</th></tr></thead><tbody>${rows}</tbody></table>`
    }</section>`;
}

function timelineSection(entries: TimelineEntry[]): SafeHtml {
  const items = entries.map(
    (e) => html`<li><time datetime="${e.time}">${formatTime(e.time)}</time> <strong>${e.type}</strong>
      ${e.system ? html` in ${e.system}` : ""}${e.profile ? html` (${e.profile})` : ""} by ${e.actor}
      ${e.exposureUntil ? html`, exposure until ${formatTime(e.exposureUntil)}` : ""}${e.reason ? html` — ${e.reason}` : ""}</li>`,
  );
  return html`<section aria-labelledby="timeline"><h2 id="timeline">Timeline (last ${TIMELINE_DAYS} days)</h2>
    ${items.length ? html`<ol class="timeline">${items}</ol>` : html`<p>No signals or revocations recorded.</p>`}</section>`;
}

export function personPage(deps: ConsoleDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const tenant = String(req.params.tenant);
    const personId = String(req.params.id);
    if (!(await deps.tenants()).includes(tenant)) {
      res
        .status(404)
        .type("html")
        .send(renderPage(pageOptions(res, "Unknown tenant"), html``));
      return;
    }
    const now = deps.clock.now();
    const snapshot = await deps.store.getPerson(tenant, personId);
    const status = await readAccessStatus(
      {
        directory: deps.store,
        access: deps.access,
        ledger: deps.ledger,
        clock: deps.clock,
        configured: deps.configured,
      },
      tenant,
      personId,
    );
    const explained = new Map<string, ExplainedGrant>();
    if (snapshot)
      for (const g of explainPerson(snapshot, tenant, deps.mappings.current, now).grants)
        explained.set(`${g.system}/${g.profile}`, g);
    const since = new Date(now.getTime() - TIMELINE_DAYS * 86_400_000);
    const timeline = await readPersonTimeline(deps.redis, { tenant, personId, since });
    const name = snapshot?.user.userName ?? personId;
    const state = status.active === null ? "not in the directory" : status.active ? "active" : "inactive";
    const body = html`<p><a href="${CONSOLE_BASE}/persons">← Search</a></p>
      <dl class="facts"><dt>Tenant</dt><dd>${tenant}</dd><dt>Id</dt><dd><code>${personId}</code></dd>
      <dt>Status</dt><dd>${state}</dd><dt>Generation</dt><dd>${status.generation}</dd></dl>
      ${personActions(tenant, personId, await new OperatorSuspensions(deps.redis).get(tenant, personId))}
      ${status.systems.map((s) => systemSection(s, explained))}
      ${timelineSection(timeline)}`;
    res.type("html").send(renderPage(pageOptions(res, `Person ${name}`, "persons"), body));
  };
}
