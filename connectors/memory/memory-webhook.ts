// Signing and verifying the simulated vendor's webhook deliveries: HMAC-SHA256 hex over the exact body
// bytes, as iLOQ does with `Webhook-Signature` (key-systems.md §2.6); old or repeated deliveries ignored.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { DriverEvent } from "../../src/drivers/key-system-driver";

export const SIGNATURE_HEADER = "x-memory-signature";
/** Deliveries older than this are ignored as replays (iLOQ: old CreationTimeUtc, §6.3). */
export const WEBHOOK_MAX_AGE_MS = 5 * 60_000;

export interface MemoryWebhookBody {
  deliveryId: string;
  createdAt: string;
  events: DriverEvent[];
}

export function signWebhook(secret: string, rawBody: Buffer): string {
  return createHmac("sha256", secret).update(rawBody).digest("hex");
}

export function verifyWebhookSignature(
  secret: string,
  rawBody: Buffer,
  signature: string | undefined,
): boolean {
  if (signature === undefined || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  const expected = Buffer.from(signWebhook(secret, rawBody), "hex");
  return timingSafeEqual(expected, Buffer.from(signature, "hex"));
}

export function parseWebhookBody(rawBody: Buffer): MemoryWebhookBody | undefined {
  try {
    const body = JSON.parse(rawBody.toString("utf8")) as Partial<MemoryWebhookBody>;
    if (
      typeof body.deliveryId !== "string" ||
      typeof body.createdAt !== "string" ||
      !Array.isArray(body.events)
    ) {
      return undefined;
    }
    return body as MemoryWebhookBody;
  } catch {
    return undefined;
  }
}

/** Remembers recent delivery ids so a repeated delivery is ignored (bounded; per driver instance). */
export class SeenDeliveries {
  private readonly ids = new Set<string>();
  constructor(private readonly max = 10_000) {}

  /** True the first time an id is seen. */
  firstTime(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.max) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
    return true;
  }
}
