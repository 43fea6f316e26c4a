// Verifies and normalises iLOQ webhook deliveries (key-systems.md §2.6): `Webhook-Signature` is the
// lowercase hex HMAC-SHA256 of the raw body keyed with the subscription's SignKey; `Counter` counts new
// payloads (resends keep it), and `CreationTimeUtc` bounds how old a delivery may be.
import { createHmac, timingSafeEqual } from "node:crypto";
import { DriverError } from "../../src/drivers/driver-error";
import type { Clock, DriverEvent, WebhookRequest } from "../../src/drivers/key-system-driver";
import { eventKind } from "./iloq-events";
import { fromIloqUtc } from "./iloq-time";

const MSG_UNCONFIGURED = "iLOQ webhooks are not configured (webhookSignKeySecret)";
const MSG_SIGNATURE = "iLOQ webhook signature does not match";
const MSG_BODY = "iLOQ webhook body is not valid";
/** Deliveries dated this far in the future are treated as forged clocks, not accepted. */
const FUTURE_SKEW_MS = 5 * 60_000;

function header(req: WebhookRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(req.headers)) if (k.toLowerCase() === wanted) return v;
  return undefined;
}

export class IloqWebhookVerifier {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly signKey: string | undefined,
    private readonly maxAgeMs: number,
    private readonly clock: Clock,
  ) {}

  verify(req: WebhookRequest): DriverEvent[] {
    if (!this.signKey) throw new DriverError("permanent", MSG_UNCONFIGURED, { vendorSignal: "webhook" });
    const expected = createHmac("sha256", this.signKey).update(req.rawBody).digest();
    const given = Buffer.from(header(req, "Webhook-Signature") ?? "", "hex");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new DriverError("permanent", MSG_SIGNATURE, { vendorSignal: "Webhook-Signature" });
    }
    let body: { Data?: Record<string, unknown>; CreationTimeUtc?: string };
    try {
      body = JSON.parse(req.rawBody.toString("utf8"));
    } catch (err) {
      throw new DriverError("permanent", MSG_BODY, { vendorSignal: "webhook body", cause: err });
    }
    const now = this.clock.now().getTime();
    const created = fromIloqUtc(body.CreationTimeUtc ?? "")?.getTime();
    if (created === undefined || now - created > this.maxAgeMs || created - now > FUTURE_SKEW_MS) return [];
    const subscription = header(req, "Subscription-Id") ?? "";
    const counter = header(req, "Counter") ?? "";
    const dedupe = `${subscription}:${counter}`;
    this.prune(now);
    if (this.seen.has(dedupe)) return [];
    this.seen.set(dedupe, created);
    return [this.toEvent(header(req, "Event-Name") ?? "", body.Data ?? {}, dedupe, created, now)];
  }

  private prune(now: number) {
    for (const [k, t] of this.seen) if (now - t > this.maxAgeMs) this.seen.delete(k);
  }

  private toEvent(
    name: string,
    data: Record<string, unknown>,
    dedupe: string,
    created: number,
    now: number,
  ): DriverEvent {
    const text = (k: string) => (typeof data[k] === "string" ? (data[k] as string) : undefined);
    const going = fromIloqUtc(text("GoingDateUtc") ?? "")?.getTime();
    const kind =
      name === "device_log_arrived"
        ? eventKind(Number(data.DeviceLogTypeMask ?? 0))
        : name === "key_blocklisted"
          ? "credential_blocked"
          : "other";
    const credentialId = text("FNKey_ID");
    const lockId = text("FLock_ID");
    const holderId = text("Person_ID");
    return {
      id: `iloq:webhook:${dedupe}`,
      occurredAt: new Date(going ?? created).toISOString(),
      receivedAt: new Date(now).toISOString(),
      kind,
      ...(credentialId ? { credentialId } : {}),
      ...(lockId ? { lockId } : {}),
      ...(holderId ? { holderId } : {}),
    };
  }
}
