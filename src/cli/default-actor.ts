// The actor an operator command records when --actor is not given: `operator:<user>@<host>` of the
// shell that runs it, so the audit trail says who acted even when nobody typed a name.
import { hostname, userInfo } from "node:os";
import { operatorActor } from "../operations/operator-request";

export function defaultActor(explicit: string | undefined): string {
  let user = "unknown";
  try {
    user = userInfo().username;
  } catch {
    // No passwd entry (a container running as a bare uid): the host still narrows it down.
  }
  return operatorActor(explicit, user, hostname());
}
