// The polling channels (Okta System Log, Entra Graph delta) re-read a page or a round when one of its
// signals fails to apply, so that nothing is lost. A signal that fails on every apply would then stop
// its tenant's channel for good, and every leaver after it. This wraps their apply: after the failure
// streak (failure-streak.ts) the signal is set aside in the channel's dead list, reported as the
// channel's error (`signals status`) and logged, and the page goes on — as the hook inbox does.
import type { Logger } from "../log/logger";
import type { RedisClient } from "../store/create-redis-client";
import { redisKeys } from "../store/redis-keys";
import { recordChannelState } from "./channel-state";
import { DEAD_KEPT, DEAD_LETTER_CODE, deadLetterError, FailureStreak } from "./failure-streak";
import type { IdpSignal, SignalOutcome } from "./idp-signal";

export const SET_ASIDE_LOG = {
  deadLettered: "a signal failed on every attempt; set aside so the signals behind it apply",
} as const;

export interface SetAsideDeps {
  redis: RedisClient;
  logger: Logger;
  now: () => Date;
  /** The failure streak's minimum duration (default 10 s). */
  deadLetterAfterMs?: number;
}

export function setAsideHopeless(
  deps: SetAsideDeps,
  apply: (signal: IdpSignal) => Promise<SignalOutcome>,
): (signal: IdpSignal) => Promise<SignalOutcome> {
  const streak = new FailureStreak(deps.deadLetterAfterMs);
  return async (signal) => {
    const slot = `${signal.tenant}|${signal.channel}`;
    try {
      const outcome = await apply(signal);
      streak.clear(slot);
      return outcome;
    } catch (err) {
      if (!streak.fail(slot, signal.eventId, deps.now().getTime())) throw err;
      const dead = redisKeys.signalInboxDead(signal.tenant, signal.channel);
      // If Redis is away this throws, and the page is read again later: nothing is set aside unseen.
      await deps.redis.multi().rpush(dead, JSON.stringify(signal)).ltrim(dead, -DEAD_KEPT, -1).exec();
      streak.clear(slot);
      const { tenant, channel, eventId } = signal;
      deps.logger.error(
        { tenant, channel, eventId, code: DEAD_LETTER_CODE, err },
        SET_ASIDE_LOG.deadLettered,
      );
      await recordChannelState(
        deps.redis,
        tenant,
        channel,
        {
          error: deadLetterError(eventId),
        },
        deps.now(),
      ).catch(() => undefined);
      return { status: "ignored" };
    }
  };
}
