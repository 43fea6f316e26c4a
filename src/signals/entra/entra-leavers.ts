// Revocations scheduled at an Entra `employeeLeaveDateTime`: a sorted set of user id → leave instant,
// filled by a periodic query of upcoming leave dates and kept current by the users delta; when an instant
// is reached the channel applies a `disabled` signal. Graph's filter on the attribute is an advanced query
// (https://learn.microsoft.com/graph/aad-advanced-queries); reading it needs User-LifeCycleInfo.Read.All.
import type { RedisClient } from "../../store/create-redis-client";
import { redisKeys } from "../../store/redis-keys";
import type { IdpSignal, SignalOutcome } from "../idp-signal";
import type { GraphClient } from "./graph-client";

const DAY_MS = 24 * 60 * 60 * 1000;
const REMOVE_IF_AT = `if redis.call("ZSCORE", KEYS[1], ARGV[1]) == ARGV[2] then return redis.call("ZREM", KEYS[1], ARGV[1]) end return 0`;

/** Keeps leave dates inside (now, now + lookahead]; any other value (or none) cancels the schedule. */
export async function noteLeaveDates(
  redis: RedisClient,
  tenant: string,
  dates: Array<{ subject: string; at: string | null }>,
  now: Date,
  lookaheadDays: number,
): Promise<void> {
  if (dates.length === 0) return;
  const key = redisKeys.entraLeavers(tenant);
  const until = now.getTime() + lookaheadDays * DAY_MS;
  const tx = redis.multi();
  for (const { subject, at } of dates) {
    const ms = at === null ? Number.NaN : Date.parse(at);
    if (ms > now.getTime() && ms <= until) tx.zadd(key, String(ms), subject);
    else tx.zrem(key, subject);
  }
  await tx.exec();
}

/** Replaces the schedule with Graph's current list of upcoming leave dates. */
export async function refreshLeavers(
  graph: GraphClient,
  redis: RedisClient,
  tenant: string,
  now: Date,
  lookaheadDays: number,
): Promise<number> {
  const until = new Date(now.getTime() + lookaheadDays * DAY_MS).toISOString();
  const filter = `employeeLeaveDateTime ge ${now.toISOString()} and employeeLeaveDateTime le ${until}`;
  // %20, not URLSearchParams' `+`: OData reads the query as RFC 3986, where `+` is not a space.
  const query = `$filter=${encodeURIComponent(filter)}&$select=id,employeeLeaveDateTime&$count=true`;
  const found: Array<{ subject: string; at: string | null }> = [];
  let link: string | undefined = graph.url(`/v1.0/users?${query}`);
  while (link) {
    const page = await graph.getJson(link, { ConsistencyLevel: "eventual" });
    for (const u of Array.isArray(page.value) ? page.value : []) {
      const { id, employeeLeaveDateTime: at } = u as Record<string, unknown>;
      if (typeof id === "string" && typeof at === "string") found.push({ subject: id, at });
    }
    link = typeof page["@odata.nextLink"] === "string" ? page["@odata.nextLink"] : undefined;
  }
  const key = redisKeys.entraLeavers(tenant);
  const known = await redis.zrange(key, "0", "-1");
  const listed = new Set(found.map((f) => f.subject));
  const gone = known.filter((s) => !listed.has(s)).map((subject) => ({ subject, at: null }));
  await noteLeaveDates(redis, tenant, [...found, ...gone], now, lookaheadDays);
  await redis.hset(redisKeys.entraDelta(tenant), "leaversAt", now.toISOString());
  return found.length;
}

/** Whether the upcoming-leavers query is due (never ran, or ran `everyHours` ago). */
export async function leaversQueryDue(redis: RedisClient, tenant: string, now: Date, everyHours: number) {
  const last = await redis.hget(redisKeys.entraDelta(tenant), "leaversAt");
  return last === null || now.getTime() - Date.parse(last) >= everyHours * 60 * 60 * 1000;
}

/** Applies a `disabled` signal for every leave instant reached; returns the next instant still ahead. */
export async function fireDueLeavers(
  redis: RedisClient,
  tenant: string,
  now: Date,
  apply: (s: IdpSignal) => Promise<SignalOutcome>,
): Promise<number | null> {
  const key = redisKeys.entraLeavers(tenant);
  const due = await redis.zrangebyscore(key, "-inf", String(now.getTime()), "WITHSCORES");
  for (let i = 0; i < due.length; i += 2) {
    const subject = due[i] as string;
    const at = new Date(Number(due[i + 1])).toISOString();
    await apply({
      tenant,
      channel: "entra",
      eventId: `${subject}:leave:${at}`,
      kind: "disabled",
      subject,
      occurredAt: at,
      evidence: { source: "employeeLeaveDateTime", leaveAt: at },
    });
    // Removed only if still at that instant: a date moved meanwhile keeps its new schedule.
    await redis.eval(REMOVE_IF_AT, 1, key, subject, due[i + 1] as string);
  }
  return nextLeaveAt(redis, tenant);
}

/** The earliest scheduled leave instant in ms, or null. */
export async function nextLeaveAt(redis: RedisClient, tenant: string): Promise<number | null> {
  const next = await redis.zrange(redisKeys.entraLeavers(tenant), "0", "0", "WITHSCORES");
  return next[1] === undefined ? null : Number(next[1]);
}

/** The scheduled leave instant of one Entra user, for `access status`. */
export async function readLeaveDate(
  redis: RedisClient,
  tenant: string,
  subject: string,
): Promise<string | null> {
  const score = await redis.zscore(redisKeys.entraLeavers(tenant), subject);
  return score === null ? null : new Date(Number(score)).toISOString();
}
