// The origin `Location` and `meta.location` are built from (RFC 7644 §3.1, §3.3): publicBaseUrl when
// configured, else the request's own scheme and Host. Host is untrusted input (ARCHITECTURE §3), so it
// must be a syntactically valid host[:port]; X-Forwarded-Proto/-Host count only when Express's
// `trust proxy` (config scim.trustProxy) says the proxy in front is ours.
import type { Request } from "express";
import type { Config } from "../config/config-schema";
import { ScimError } from "./scim-error";

/** A DNS name or IPv4 address (RFC 1123 labels), or a bracketed IPv6 literal, with an optional port. */
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export const DETAIL_BAD_HOST = "The Host header is not a valid host name.";

export function isValidHost(host: string): boolean {
  return host.length <= 261 && HOST.test(host);
}

/** `https://host[:port]` without a trailing slash. */
export function requestOrigin(req: Request, config: Config): string {
  if (config.publicBaseUrl) return config.publicBaseUrl.replace(/\/+$/, "");
  // req.host and req.protocol read X-Forwarded-Host/-Proto only when `trust proxy` trusts the peer.
  const host = req.host;
  if (!host || !isValidHost(host)) throw new ScimError(400, "invalidValue", DETAIL_BAD_HOST);
  return `${req.protocol === "https" ? "https" : "http"}://${host.toLowerCase()}`;
}
