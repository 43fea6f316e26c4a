// Per tenant and channel: when the channel last delivered a signal, last polled successfully, how far
// behind it is, counts per outcome and the last error — what `keybridge signals status` and the
// console's metrics read. applySignal keeps the signal counts; channels report the rest here.
import type { RedisClient } from "../store/create-redis-client";
import { redisKeys } from "../store/redis-keys";
import type { SignalChannel } from "./idp-signal";

export interface ChannelStateUpdate {
  /** A poll or delivery that succeeded at this time (ISO). */
  okAt?: string;
  /** How far behind the IdP the channel is (ms), e.g. now − newest event's published time. */
  lagMs?: number;
  /** A failure: a stable code or short message, never personal data or secrets. */
  error?: string;
  /** When the error happened (ISO); default: now. */
  errorAt?: string;
}

export interface ChannelState {
  channel: SignalChannel;
  lastSignalAt?: string;
  lastEventId?: string;
  lastOkAt?: string;
  lagMs?: number;
  lastError?: string;
  lastErrorAt?: string;
  /** Signals per outcome (applied, duplicate, unmatched, ignored) and `errors`. */
  counts: Record<string, number>;
}

export async function recordChannelState(
  redis: RedisClient,
  tenant: string,
  channel: SignalChannel,
  update: ChannelStateUpdate,
  now: Date = new Date(),
): Promise<void> {
  const key = redisKeys.signalChannelState(tenant, channel);
  const fields: Record<string, string> = {};
  if (update.okAt !== undefined) fields.lastOkAt = update.okAt;
  if (update.lagMs !== undefined) fields.lagMs = String(Math.max(0, Math.round(update.lagMs)));
  if (update.error !== undefined) {
    fields.lastError = update.error.slice(0, 200);
    fields.lastErrorAt = update.errorAt ?? now.toISOString();
  }
  const multi = redis.multi();
  if (Object.keys(fields).length > 0) multi.hset(key, fields);
  if (update.error !== undefined) multi.hincrby(key, "count.errors", 1);
  await multi.exec();
}

export async function readChannelState(
  redis: RedisClient,
  tenant: string,
  channel: SignalChannel,
): Promise<ChannelState> {
  const raw = await redis.hgetall(redisKeys.signalChannelState(tenant, channel));
  const state: ChannelState = { channel, counts: {} };
  for (const [field, value] of Object.entries(raw)) {
    if (field.startsWith("count.")) state.counts[field.slice(6)] = Number(value);
    else if (field === "lagMs") state.lagMs = Number(value);
    else if (field === "lastSignalAt" || field === "lastEventId" || field === "lastOkAt")
      state[field] = value;
    else if (field === "lastError" || field === "lastErrorAt") state[field] = value;
  }
  return state;
}
