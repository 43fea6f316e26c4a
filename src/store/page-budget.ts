// How many resources of a list page fit its byte budget (scim.limits.pageMaxBytes), decided from sizes
// Redis reports (STRLEN, SCARD) before anything is read or decoded: a page of 1,000 users of 1 MiB each
// would otherwise be a gigabyte read and parsed in one go (issue #9 item 3). RFC 7644 §3.4.2.4 lets a
// server return fewer resources than `count`; itemsPerPage says how many, so the client pages on.
import type { RedisClient } from "./create-redis-client";
import { redisKeys } from "./redis-keys";

/** Rendered bytes of one member in a group answer: value, display, $ref and type (estimate). */
export const MEMBER_BYTES = 160;

export interface PageFit {
  /** How many of the ids, from the first, the page takes (at least one when there are any). */
  count: number;
  /** Their estimated size. */
  bytes: number;
}

/** The longest prefix of `sizes` within `maxBytes`; at least one, so paging always advances. */
export function fitPage(sizes: number[], maxBytes: number): PageFit {
  let bytes = 0;
  for (let i = 0; i < sizes.length; i++) {
    const size = sizes[i] ?? 0;
    if (i > 0 && bytes + size > maxBytes) return { count: i, bytes };
    bytes += size;
  }
  return { count: sizes.length, bytes };
}

/** Estimated answer size of each resource: its stored text, plus its members for a group with members. */
export async function resourceSizes(
  redis: RedisClient,
  tenant: string,
  resource: "user" | "group",
  ids: string[],
  withMembers = false,
): Promise<number[]> {
  if (ids.length === 0) return [];
  const p = redis.pipeline();
  for (const id of ids) {
    p.strlen(resource === "user" ? redisKeys.user(tenant, id) : redisKeys.group(tenant, id));
    if (withMembers) p.scard(redisKeys.groupMembers(tenant, id));
  }
  const replies = ((await p.exec()) ?? []).map(([err, value]) => {
    if (err) throw err;
    return Number(value);
  });
  const step = withMembers ? 2 : 1;
  return ids.map(
    (_, i) => (replies[i * step] ?? 0) + (withMembers ? (replies[i * step + 1] ?? 0) * MEMBER_BYTES : 0),
  );
}
