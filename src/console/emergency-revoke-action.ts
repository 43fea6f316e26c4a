// Emergency revoke from the person page: takes the person's access away in every key system now (or,
// with admin.fourEyes, files the request for a second operator), through the same operations as the
// admin API and the CLI; the reason is mandatory and lands in the audit record with the operator's name.
import { emergencyRevoke } from "../operations/emergency-revoke";
import { requestEmergencyRevoke } from "../operations/four-eyes";
import { operatorAction, operatorDeps } from "./console-actions";
import type { ConsoleDeps } from "./console-deps";

export const emergencyRevokeAction = (deps: ConsoleDeps) =>
  operatorAction(deps, async (d, req, request) => {
    const target = { tenant: String(req.params.tenant), personId: String(req.params.id) };
    if (d.config.admin.fourEyes) {
      const pending = await requestEmergencyRevoke(operatorDeps(d), target, request);
      return `Requested; a second operator must approve it (request ${pending.id}).`;
    }
    const done = await emergencyRevoke(operatorDeps(d), target, request);
    return `Emergency revoke in force; revocation enqueued in ${Object.keys(done.enqueued).join(", ") || "no key system"}.`;
  });
