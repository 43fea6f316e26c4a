// Verifies an OAuth 2.0 client assertion (RFC 7523 §3, Okta "private_key_jwt" client authentication) as
// Okta's /oauth2/v1/token does: RS256/ES256 signature with the client's registered public key,
// iss = sub = client_id, aud = the token endpoint URL, exp in the future.
import { createPublicKey, type KeyObject, verify } from "node:crypto";

export type AssertionCheck = { ok: true } | { ok: false; reason: string };

function decodePart(part: string | undefined): Record<string, unknown> | null {
  if (!part) return null;
  try {
    const value = JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as unknown;
    return value && typeof value === "object" ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const ALGORITHMS: Record<string, { hash: string; ec: boolean }> = {
  RS256: { hash: "sha256", ec: false },
  ES256: { hash: "sha256", ec: true },
};

export function verifyClientAssertion(
  jwt: string,
  options: { clientId: string; publicKey: KeyObject | string; audience: string; nowSeconds: number },
): AssertionCheck {
  const [h, p, s] = jwt.split(".");
  const header = decodePart(h);
  const payload = decodePart(p);
  if (!header || !payload || !s) return { ok: false, reason: "malformed client assertion" };
  const alg = ALGORITHMS[String(header.alg)];
  if (!alg) return { ok: false, reason: `unsupported alg ${String(header.alg)}` };
  const key = typeof options.publicKey === "string" ? createPublicKey(options.publicKey) : options.publicKey;
  const signed = verify(
    alg.hash,
    Buffer.from(`${h}.${p}`),
    alg.ec ? { key, dsaEncoding: "ieee-p1363" } : key,
    Buffer.from(s, "base64url"),
  );
  if (!signed) return { ok: false, reason: "The client_assertion signature is invalid." };
  if (payload.iss !== options.clientId || payload.sub !== options.clientId)
    return { ok: false, reason: "iss and sub must be the client_id" };
  if (payload.aud !== options.audience) return { ok: false, reason: "The audience claim is invalid." };
  if (typeof payload.exp !== "number" || payload.exp <= options.nowSeconds)
    return { ok: false, reason: "The client_assertion token is expired." };
  return { ok: true };
}
