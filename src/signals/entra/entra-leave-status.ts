// What `access status` shows of the Entra channel for one person: the employeeLeaveDateTime at which a
// revocation is scheduled, found through the tenant's join key (externalId or userName).
import type { RedisClient } from "../../store/create-redis-client";
import type { Config } from "../../config/config-schema";
import type { StoredUser } from "../../store/directory-types";
import { readLeaveDate } from "./entra-leavers";

export const ENTRA_LEAVE_LINE = "Entra leave date: revocation scheduled at";

/** The scheduled leave instant, or null (no Entra channel, no join key value, nothing scheduled). */
export async function readEntraLeaveAt(
  redis: RedisClient,
  config: Config,
  tenant: string,
  user: Pick<StoredUser, "externalId" | "userName"> | null,
): Promise<string | null> {
  const settings = config.tenants.find((t) => t.id === tenant)?.signals;
  if (!settings?.entra || !user) return null;
  const joinKey = settings.joinKey ?? "externalId";
  const subject =
    joinKey === "externalId" ? user.externalId : joinKey === "userName" ? user.userName : undefined;
  return subject ? readLeaveDate(redis, tenant, subject) : null;
}

export function formatEntraLeave(at: string | null): string {
  return at ? `${ENTRA_LEAVE_LINE} ${at} (employeeLeaveDateTime)\n` : "";
}
