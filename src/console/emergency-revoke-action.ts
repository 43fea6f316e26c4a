// Emergency revoke from the console: take a person's access away in every key system now (or, with
// admin.fourEyes, file the request for a second operator to approve or reject), and lift it again —
// through the same operations as the admin API and the CLI, each with a mandatory, audited reason.
import { emergencyRevoke, liftSuspension } from "../operations/emergency-revoke";
import {
  approveEmergencyRevoke,
  rejectEmergencyRevoke,
  requestEmergencyRevoke,
} from "../operations/four-eyes";
import { operatorAction, operatorDeps } from "./console-actions";
import type { ConsoleDeps } from "./console-deps";
import { formText } from "./page-context";

const enqueuedIn = (systems: Record<string, unknown>) => Object.keys(systems).join(", ") || "no key system";

export const emergencyRevokeAction = (deps: ConsoleDeps) =>
  operatorAction(deps, async (d, req, request) => {
    const target = {
      tenant: String(req.params.tenant),
      personId: String(req.params.id),
      ...(formText(req, "lostKey") === "true" ? { lostKey: true } : {}),
    };
    if (d.config.admin.fourEyes) {
      const pending = await requestEmergencyRevoke(operatorDeps(d), target, request);
      return `Requested; a second operator must approve it under Needs attention (request ${pending.id}).`;
    }
    const done = await emergencyRevoke(operatorDeps(d), target, request);
    return `Emergency revoke in force; revocation enqueued in ${enqueuedIn(done.enqueued)}.`;
  });

export const liftSuspensionAction = (deps: ConsoleDeps) =>
  operatorAction(deps, async (d, req, request) => {
    const target = { tenant: String(req.params.tenant), personId: String(req.params.id) };
    const lifted = await liftSuspension(operatorDeps(d), target, request);
    return lifted
      ? "Lifted; the mappings decide this person's access again."
      : "No emergency revoke was in force.";
  });

export const approveEmergencyAction = (deps: ConsoleDeps) =>
  operatorAction(deps, async (d, req, request) => {
    const target = { tenant: formText(req, "tenant"), id: formText(req, "id") };
    const done = await approveEmergencyRevoke(operatorDeps(d), target, request);
    return `Approved; revocation enqueued in ${enqueuedIn(done.enqueued)}.`;
  });

export const rejectEmergencyAction = (deps: ConsoleDeps) =>
  operatorAction(deps, async (d, req, request) => {
    await rejectEmergencyRevoke(
      operatorDeps(d),
      { tenant: formText(req, "tenant"), id: formText(req, "id") },
      request,
    );
    return "Rejected; nothing was revoked.";
  });
