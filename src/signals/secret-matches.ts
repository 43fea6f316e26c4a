// Compares a presented credential with the configured one in constant time: both are hashed first, so
// neither the content nor the length of the secret leaks through timing (crypto.timingSafeEqual needs
// equal lengths; Okta Event Hooks and ISC triggers carry no payload signature, idp-signals.md §2.4/§3.4).
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

export function secretMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined || expected === "") return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The Authorization header value ISC sends for a BEARER_TOKEN or BASIC_AUTH subscription. */
export function expectedAuthorization(auth: "bearer" | "basic", secret: string): string {
  return auth === "bearer" ? `Bearer ${secret}` : `Basic ${Buffer.from(secret, "utf8").toString("base64")}`;
}
