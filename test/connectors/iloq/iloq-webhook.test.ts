// Webhook intake (key-systems.md §2.6): signature over the raw body, replays by Counter or age ignored.
import { createHmac } from "node:crypto";
import { IloqWebhookVerifier } from "../../../connectors/iloq/iloq-webhook";

const KEY = "sign-key";
const clock = { now: () => new Date("2026-11-26T10:00:00Z") };

function delivery(counter: number, created: string, body?: string) {
  const raw =
    body ?? JSON.stringify({ Data: { DeviceLogTypeMask: 2052, FNKey_ID: "k1" }, CreationTimeUtc: created });
  return {
    headers: {
      counter: String(counter),
      "event-name": "device_log_arrived",
      "subscription-id": "s1",
      "webhook-signature": createHmac("sha256", KEY).update(raw).digest("hex"),
    },
    rawBody: Buffer.from(raw),
  };
}

it("accepts a fresh signed delivery once and ignores the same Counter again", () => {
  const v = new IloqWebhookVerifier(KEY, 15 * 60_000, clock);
  const events = v.verify(delivery(1, "2026-11-26T09:59:00"));
  expect(events).toMatchObject([{ kind: "access_granted", credentialId: "k1", id: "iloq:webhook:s1:1" }]);
  expect(v.verify(delivery(1, "2026-11-26T09:59:00"))).toEqual([]);
  expect(v.verify(delivery(2, "2026-11-26T09:59:00"))).toHaveLength(1);
});

it.each([
  ["older than the window", "2026-11-26T09:44:59"],
  ["dated in the future", "2026-11-26T10:06:00"],
])("ignores a delivery %s", (_why, created) => {
  expect(new IloqWebhookVerifier(KEY, 15 * 60_000, clock).verify(delivery(1, created))).toEqual([]);
});

it("rejects a body changed after signing, and any delivery without a configured key", () => {
  const d = delivery(1, "2026-11-26T09:59:00");
  const tampered = { ...d, rawBody: Buffer.from(d.rawBody.toString().replace("2052", "4")) };
  expect(() => new IloqWebhookVerifier(KEY, 60_000, clock).verify(tampered)).toThrow(
    expect.objectContaining({ kind: "permanent" }),
  );
  expect(() => new IloqWebhookVerifier(undefined, 60_000, clock).verify(d)).toThrow(
    expect.objectContaining({ kind: "permanent" }),
  );
});
