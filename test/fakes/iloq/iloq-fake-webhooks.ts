// Signed webhook delivery of the fake (§2.6): HMAC-SHA256 hex of the raw body keyed with SignKey.
import { createHmac } from "node:crypto";
import type { Clock } from "../../../src/drivers/key-system-driver";
import { toUtcString } from "./iloq-fake-time";
import type { FakeSubscription, FakeWebhookPayload, IloqFakeState } from "./iloq-fake-types";

/** Retries after 5 min, 15 min, 1 h, 6 h, 12 h, 24 h: 7 attempts in total, then obsolete (§2.6). */
const RETRY_AFTER_MS = [5, 15, 60, 360, 720, 1440].map((m) => m * 60_000);

export function signWebhookBody(body: string, signKey: string): string {
  return createHmac("sha256", signKey).update(body, "utf8").digest("hex");
}

export function webhookHeaders(sub: FakeSubscription, p: FakeWebhookPayload): Record<string, string> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    Counter: String(p.counter),
    "Event-Name": p.eventName,
    "Subscription-Id": sub.SubscriptionId,
    "Webhook-Signature": signWebhookBody(p.body, sub.SignKey),
  };
  if (sub.CustomHeader) headers["Custom-Header"] = Buffer.from(sub.CustomHeader).toString("base64");
  return headers;
}

/** Creates one new payload per active subscription; `Counter` counts new payloads only. */
export function enqueueWebhooks(
  state: IloqFakeState,
  clock: Clock,
  eventName: string,
  lockGroupId: string,
  data: unknown,
): Array<{ sub: FakeSubscription; payload: FakeWebhookPayload }> {
  const now = clock.now();
  const nowText = toUtcString(now);
  const out: Array<{ sub: FakeSubscription; payload: FakeWebhookPayload }> = [];
  for (const sub of state.subscriptions) {
    const active = sub.StartDateUtc <= nowText && nowText <= sub.EndDateUtc;
    if (sub.WebhookEventId !== eventName || sub.LockGroup_ID !== lockGroupId || !active) continue;
    sub.Counter += 1;
    const body = JSON.stringify({ Data: data, CreationTimeUtc: nowText });
    const payload: FakeWebhookPayload = {
      counter: sub.Counter,
      body,
      eventName,
      attempts: 0,
      delivered: false,
      nextAttemptAt: now,
      lastStatus: null,
    };
    sub.payloads.push(payload);
    out.push({ sub, payload });
  }
  return out;
}

/** One delivery attempt; on failure schedules the next from the documented retry table. */
export async function deliverWebhook(
  sub: FakeSubscription,
  p: FakeWebhookPayload,
  clock: Clock,
  timeoutMs: number,
): Promise<void> {
  p.attempts += 1;
  try {
    const res = await fetch(sub.TargetEndpointUri, {
      method: "POST",
      headers: webhookHeaders(sub, p),
      body: p.body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    p.lastStatus = res.status;
    await res.arrayBuffer();
    p.delivered = res.ok;
  } catch {
    p.lastStatus = null;
    p.delivered = false;
  }
  const wait = RETRY_AFTER_MS[p.attempts - 1];
  p.nextAttemptAt = p.delivered || wait === undefined ? null : new Date(clock.now().getTime() + wait);
}

/** Payloads whose retry time has come (tests compress the schedule by moving the clock). */
export function duePayloads(state: IloqFakeState, now: Date) {
  const due: Array<{ sub: FakeSubscription; payload: FakeWebhookPayload }> = [];
  for (const sub of state.subscriptions) {
    for (const payload of sub.payloads) {
      if (!payload.delivered && payload.nextAttemptAt && payload.nextAttemptAt <= now)
        due.push({ sub, payload });
    }
  }
  return due;
}
