// Deterministic integrator-chosen GUIDs (RFC 9562 §5.5, UUID version 5): iLOQ lets the integrator pick
// Person_ID and FNKey_ID (key-systems.md §2.7), so a create that timed out and is retried reuses its id.
import { createHash } from "node:crypto";

/** keybridge's namespace for iLOQ ids (a fixed random UUID; never change it, ids derive from it). */
export const KEYBRIDGE_ILOQ_NAMESPACE = "6f1c2d3e-8a7b-4c5d-9e0f-1a2b3c4d5e6f";

export function nameBasedUuid(name: string, namespace = KEYBRIDGE_ILOQ_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export const personIdFor = (systemId: string, externalId: string) =>
  nameBasedUuid(`${systemId}:person:${externalId}`);

export const keyIdFor = (systemId: string, externalId: string, kind: string, serial: string) =>
  nameBasedUuid(`${systemId}:key:${externalId}:${kind}:${serial}`);
