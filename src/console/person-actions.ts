// The operator's actions on one person (reconcile now, emergency revoke), as htmx forms: each needs a
// reason (the audit records it), and the answer replaces the form's status line without a reload.
import { html, type SafeHtml } from "./html";
import { CONSOLE_BASE } from "./layout";

function actionForm(path: string, id: string, label: string, hint: string, danger = false): SafeHtml {
  return html`<form class="action${danger ? " danger" : ""}" hx-post="${path}" hx-target="#${id}-result" hx-swap="innerHTML">
    <fieldset><legend>${label}</legend>
    <label for="${id}-reason">Reason (required, recorded in the audit trail)</label>
    <input id="${id}-reason" name="reason" required maxlength="500" placeholder="${hint}">
    <button type="submit" id="${id}-submit">${label}</button>
    <div id="${id}-result" aria-live="polite"></div></fieldset></form>`;
}

export function personActions(tenant: string, personId: string): SafeHtml {
  const base = `${CONSOLE_BASE}/persons/${encodeURIComponent(tenant)}/${encodeURIComponent(personId)}`;
  return html`<section aria-labelledby="actions" class="actions"><h2 id="actions">Actions</h2>
    ${actionForm(`${base}/reconcile`, "reconcile", "Reconcile now", "ticket or what was fixed")}
    ${actionForm(`${base}/emergency-revoke`, "emergency", "Emergency revoke", "e.g. key reported lost, INC-1234", true)}
  </section>`;
}
