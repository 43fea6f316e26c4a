// The operator's actions on one person (reconcile now, emergency revoke), as htmx forms: each needs a
// reason (the audit records it), and the answer replaces the form's status line without a reload.
import type { PersonSuspension } from "../operations/operator-suspensions";
import { html, type SafeHtml } from "./html";
import { CONSOLE_BASE, formatTime } from "./layout";

function actionForm(
  path: string,
  id: string,
  label: string,
  hint: string,
  danger = false,
  extra: SafeHtml = html``,
): SafeHtml {
  return html`<form class="action${danger ? " danger" : ""}" hx-post="${path}" hx-target="#${id}-result" hx-swap="innerHTML">
    <fieldset><legend>${label}</legend>
    <label for="${id}-reason">Reason (required, recorded in the audit trail)</label>
    <input id="${id}-reason" name="reason" required maxlength="500" placeholder="${hint}">
    ${extra}<button type="submit" id="${id}-submit">${label}</button>
    <div id="${id}-result" aria-live="polite"></div></fieldset></form>`;
}

function suspensionNotice(suspension: PersonSuspension): SafeHtml {
  const items = Object.entries(suspension).map(
    ([
      system,
      e,
    ]) => html`<li>${system === "*" ? "every key system" : system}: by ${e.actor} at ${formatTime(e.at)}
      — ${e.reason}${e.approvedBy ? html` (approved by ${e.approvedBy})` : ""}</li>`,
  );
  return html`<div class="notice error" role="note"><strong>Emergency revoke in force</strong>: the mappings grant
    this person nothing there until it is lifted.<ul>${items}</ul></div>`;
}

export function personActions(tenant: string, personId: string, suspension: PersonSuspension): SafeHtml {
  const base = `${CONSOLE_BASE}/persons/${encodeURIComponent(tenant)}/${encodeURIComponent(personId)}`;
  const suspended = Object.keys(suspension).length > 0;
  return html`<section aria-labelledby="actions" class="actions"><h2 id="actions">Actions</h2>
    ${suspended ? suspensionNotice(suspension) : ""}
    ${actionForm(`${base}/reconcile`, "reconcile", "Reconcile now", "ticket or what was fixed")}
    ${
      suspended
        ? actionForm(`${base}/lift`, "lift", "Lift emergency revoke", "e.g. key found, INC-1234")
        : actionForm(
            `${base}/emergency-revoke`,
            "emergency",
            "Emergency revoke",
            "e.g. key reported lost, INC-1234",
            true,
          )
    }
  </section>`;
}
