// The name a group answer shows for each member (`members[].display`, RFC 7643 §4.2): a per-tenant
// hash kept by the user scripts, read in chunks so a 100,000-member group never decodes a user.
import type { RedisClient } from "./create-redis-client";
import { redisKeys } from "./redis-keys";

/** HMGET size: big enough to keep round trips few, small enough not to stall Redis or Node. */
export const DISPLAY_CHUNK = 1_000;

/** The user's displayName, else their userName: what Entra and Okta show for a member. */
export function memberDisplay(user: { displayName?: unknown; userName?: unknown }): string | undefined {
  if (typeof user.displayName === "string" && user.displayName.trim() !== "") return user.displayName;
  if (typeof user.userName === "string" && user.userName !== "") return user.userName;
  return undefined;
}

/**
 * Display per member id; an id without an entry (a user stored before displays were kept) is absent.
 * Yields to the event loop between chunks so one huge group does not starve other requests.
 */
export async function loadMemberDisplays(
  redis: RedisClient,
  tenant: string,
  ids: string[],
): Promise<Map<string, string>> {
  const displays = new Map<string, string>();
  const key = redisKeys.userDisplays(tenant);
  for (let start = 0; start < ids.length; start += DISPLAY_CHUNK) {
    if (start > 0) await new Promise((resolve) => setImmediate(resolve));
    const chunk = ids.slice(start, start + DISPLAY_CHUNK);
    const values = await redis.hmget(key, ...chunk);
    chunk.forEach((id, i) => {
      const value = values[i];
      if (typeof value === "string") displays.set(id, value);
    });
  }
  return displays;
}
