// Person search: one box (id, userName or displayName prefix, externalId) across the tenants, each hit
// linking to the person page. A plain GET form, so it works with the keyboard and without script.
import type { Request, Response } from "express";
import { searchPersons } from "../operations/search-persons";
import type { ConsoleDeps } from "./console-deps";
import { html } from "./html";
import { CONSOLE_BASE, renderPage } from "./layout";
import { pageOptions, queryText } from "./page-context";

export function personsPage(deps: ConsoleDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    const q = queryText(req, "q");
    const tenants = await deps.tenants();
    const tenant = queryText(req, "tenant");
    const hits = q ? await searchPersons(deps.store, tenant ? [tenant] : tenants, q) : [];
    const options = tenants.map(
      (t) => html`<option value="${t}"${t === tenant ? " selected" : ""}>${t}</option>`,
    );
    const rows = hits.map(
      (h) => html`<tr>
        <td><a href="${CONSOLE_BASE}/persons/${encodeURIComponent(h.tenant)}/${encodeURIComponent(h.id)}">${h.userName}</a></td>
        <td>${h.displayName ?? ""}</td><td>${h.tenant}</td><td>${h.externalId ?? ""}</td>
        <td>${h.active ? "active" : "inactive"}</td></tr>`,
    );
    const results = q
      ? hits.length === 0
        ? html`<p role="status">No person matches “${q}”.</p>`
        : html`<table><caption>${hits.length} match(es) for “${q}”</caption>
          <thead><tr><th scope="col">userName</th><th scope="col">Display name</th><th scope="col">Tenant</th>
          <th scope="col">externalId</th><th scope="col">Status</th></tr></thead><tbody>${rows}</tbody></table>`
      : html``;
    const body = html`<form method="get" action="${CONSOLE_BASE}/persons" role="search" class="inline">
      <label for="q">Search by userName, display name, externalId or id</label>
      <input id="q" name="q" type="search" value="${q}" autocomplete="off" required maxlength="200">
      <label for="tenant">Tenant</label>
      <select id="tenant" name="tenant"><option value="">all tenants</option>${options}</select>
      <button type="submit">Search</button>
    </form>${results}`;
    res.type("html").send(renderPage(pageOptions(res, "Persons", "persons"), body));
  };
}
