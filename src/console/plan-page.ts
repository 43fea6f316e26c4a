// Mapping plan preview: who would gain and who would lose which profile if the mapping files on disk
// (config.mappingsDir) replaced the mappings this process runs — what a reviewer checks before a reload.
import type { Request, Response } from "express";
import { directoryPersonSource } from "../cli/person-source";
import type { MappingSet } from "../mapping/mapping-set";
import { createMappingPlan, type ProfileChange } from "../mapping/plan-mapping-change";
import { loadCheckedMappings } from "../runtime/driver-scope-schemas";
import type { ConsoleDeps } from "./console-deps";
import { html, type SafeHtml } from "./html";
import { CONSOLE_BASE, notice, renderPage } from "./layout";
import { pageOptions } from "./page-context";

const LISTED = 200;

function changes(caption: string, list: ProfileChange[]): SafeHtml {
  if (list.length === 0) return html`<p>${caption}: none.</p>`;
  const rows = list.slice(0, LISTED).map(
    (
      c,
    ) => html`<tr><td><a href="${CONSOLE_BASE}/persons/${encodeURIComponent(c.tenant)}/${encodeURIComponent(c.personId)}">${c.userName}</a></td>
      <td>${c.tenant}</td><td>${c.system}</td><td>${c.profile}</td><td>${c.fields?.join(", ") ?? ""}</td></tr>`,
  );
  const more = list.length > LISTED ? ` (first ${LISTED} of ${list.length})` : ` (${list.length})`;
  return html`<table><caption>${caption}${more}</caption><thead><tr><th scope="col">Person</th><th scope="col">Tenant</th>
    <th scope="col">Key system</th><th scope="col">Profile</th><th scope="col">Changed fields</th></tr></thead>
    <tbody>${rows}</tbody></table>`;
}

export function planPage(deps: ConsoleDeps) {
  return async (_req: Request, res: Response): Promise<void> => {
    const options = pageOptions(res, "Mapping plan", "plan");
    let candidate: MappingSet;
    try {
      candidate = loadCheckedMappings(deps.config.mappingsDir);
    } catch (err) {
      // A mapping error names file and path, never personal data (mapping-error.ts).
      const body = notice("error", `The mapping files on disk do not load: ${(err as Error).message}`);
      res.type("html").send(renderPage(options, body));
      return;
    }
    const current = deps.mappings.current;
    const builder = createMappingPlan(current, candidate, deps.clock.now());
    const source = directoryPersonSource(deps.store, async () => {});
    for (const tenant of await deps.tenants()) for await (const p of source.persons(tenant)) builder.add(p);
    const plan = builder.result();
    const same = plan.currentFingerprint === plan.candidateFingerprint;
    const totals = plan.byProfile.map(
      (t) =>
        html`<tr><td>${t.system}</td><td>${t.profile}</td><td>${t.gains}</td><td>${t.losses}</td><td>${t.modified}</td></tr>`,
    );
    const body = html`<p>Running mappings <code>${plan.currentFingerprint.slice(0, 12)}</code>; files on disk
      <code>${plan.candidateFingerprint.slice(0, 12)}</code>${same ? " (identical: a reload changes nothing)" : ""}.
      ${plan.persons} persons evaluated, ${plan.personsChanged} would change.</p>
      ${
        totals.length
          ? html`<table><caption>Per profile</caption><thead><tr><th scope="col">Key system</th><th scope="col">Profile</th>
        <th scope="col">Gain</th><th scope="col">Lose</th><th scope="col">Modified</th></tr></thead><tbody>${totals}</tbody></table>`
          : ""
      }
      ${changes("Who gains", plan.gains)}${changes("Who loses", plan.losses)}${changes("Whose grant changes", plan.modified)}`;
    res.type("html").send(renderPage(options, body));
  };
}
