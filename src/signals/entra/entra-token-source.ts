// Graph access tokens for one tenant's Entra channel from an msal-node confidential client (client
// credentials with a secret or a certificate, specs/idp-signals.md §1.3). msal caches the token, so the
// Graph client asks for one before every request without a network call until it nears expiry.
import { X509Certificate } from "node:crypto";
import { ConfidentialClientApplication, type Configuration } from "@azure/msal-node";
import type { EntraSignalConfig } from "../../config/entra-signal-schema";
import { GraphError } from "./graph-error";

export const GRAPH_SCOPE = "https://graph.microsoft.com/.default";

/**
 * msal refuses http authorities (`authority_uri_insecure`), so a loopback fake is named by this https
 * authority that never resolves (RFC 6761 `.invalid`), declared as known, with the fake's own metadata
 * document handed over: the token POST is then the only request and it goes to the loopback fake.
 */
const LOOPBACK_AUTHORITY_HOST = "login.loopback.invalid";

type Secrets = Readonly<Record<string, string>>;

function secret(secrets: Secrets, name: string): string {
  const value = secrets[name];
  if (!value) throw new GraphError("AuthFailed", `secret ${name} is not set (KEYBRIDGE_SECRET_${name})`);
  return value;
}

/** The credential part of msal's auth options: a secret, or a certificate's SHA-256 thumbprint + key. */
export function entraCredential(config: EntraSignalConfig, secrets: Secrets) {
  if (config.secretName) return { clientSecret: secret(secrets, config.secretName) };
  const pem = secret(secrets, config.certificateName ?? "");
  const cert = new X509Certificate(pem);
  return {
    clientCertificate: {
      thumbprintSha256: cert.fingerprint256.replaceAll(":", ""),
      privateKey: secret(secrets, config.privateKeyName ?? ""),
      x5c: pem,
    },
  };
}

async function loopbackMetadata(config: EntraSignalConfig): Promise<string> {
  const url = `${config.authorityHost}/${config.tenantId}/v2.0/.well-known/openid-configuration`;
  const res = await fetch(url);
  if (!res.ok) throw new GraphError("AuthFailed", `authority metadata answered ${res.status}`, res.status);
  const doc = (await res.json()) as { token_endpoint?: unknown };
  // The token endpoint gets the client secret: it must be on the configured loopback origin too.
  if (typeof doc.token_endpoint !== "string" || new URL(doc.token_endpoint).origin !== config.authorityHost)
    throw new GraphError("AuthFailed", "authority metadata names a token endpoint on another origin");
  return JSON.stringify(doc);
}

async function msalConfiguration(config: EntraSignalConfig, secrets: Secrets): Promise<Configuration> {
  const credential = entraCredential(config, secrets);
  const host = new URL(config.authorityHost);
  if (host.protocol === "http:") {
    return {
      auth: {
        clientId: config.clientId,
        authority: `https://${LOOPBACK_AUTHORITY_HOST}/${config.tenantId}`,
        knownAuthorities: [LOOPBACK_AUTHORITY_HOST],
        authorityMetadata: await loopbackMetadata(config),
        ...credential,
      },
    };
  }
  // login.microsoftonline.com and the sovereign clouds have metadata built into msal; any other https
  // host is declared known so msal reads its discovery document from that host itself.
  return {
    auth: {
      clientId: config.clientId,
      authority: `${config.authorityHost}/${config.tenantId}`,
      knownAuthorities: [host.host],
      ...credential,
    },
  };
}

/** A `token()` function for the Graph client; builds the msal application on first use. */
export function entraTokenSource(config: EntraSignalConfig, secrets: Secrets): () => Promise<string> {
  let app: Promise<ConfidentialClientApplication> | null = null;
  return async () => {
    app ??= msalConfiguration(config, secrets).then((c) => new ConfidentialClientApplication(c));
    let result: Awaited<ReturnType<ConfidentialClientApplication["acquireTokenByClientCredential"]>>;
    try {
      result = await (await app).acquireTokenByClientCredential({ scopes: [GRAPH_SCOPE] });
    } catch (err) {
      app = null;
      throw err;
    }
    if (!result?.accessToken) throw new GraphError("AuthFailed", "Entra returned no access token");
    return result.accessToken;
  };
}
