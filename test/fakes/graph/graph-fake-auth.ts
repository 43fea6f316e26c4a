// The Entra token endpoint of the Graph fake: client credentials with a secret or with a certificate
// (a private-key JWT `client_assertion`, verified against the registered certificate), as described in
// https://learn.microsoft.com/entra/identity-platform/certificate-credentials and specs/idp-signals.md §1.4.
import { constants, randomBytes, timingSafeEqual, verify, X509Certificate } from "node:crypto";

export interface RegisteredApp {
  clientId: string;
  /** Accepted client secret, if the app has one. */
  secret?: string;
  /** PEM of the certificate uploaded to the app registration, if any. */
  certificatePem?: string;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

const ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

function error(status: number, code: string, description: string): TokenAnswer {
  return {
    status,
    body: {
      error: code,
      error_description: description,
      error_codes: [status === 401 ? 7000215 : 900144],
      timestamp: new Date().toISOString(),
      trace_id: "00000000-0000-0000-0000-000000000000",
      correlation_id: "00000000-0000-0000-0000-000000000000",
    },
  };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function decodePart(part: string): Record<string, unknown> | null {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Null when the assertion is a valid JWT for this app and token endpoint, else why not. */
export function checkClientAssertion(
  jwt: string,
  app: RegisteredApp,
  tokenEndpoint: string,
  nowSeconds: number,
): string | null {
  if (!app.certificatePem) return "no certificate registered";
  const parts = jwt.split(".");
  if (parts.length !== 3) return "malformed assertion";
  const [h, p, s] = parts as [string, string, string];
  const header = decodePart(h);
  const payload = decodePart(p);
  if (!header || !payload) return "malformed assertion";
  const cert = new X509Certificate(app.certificatePem);
  const thumb256 = Buffer.from(cert.fingerprint256.replaceAll(":", ""), "hex").toString("base64url");
  const thumb1 = Buffer.from(cert.fingerprint.replaceAll(":", ""), "hex").toString("base64url");
  const byThumb = header["x5t#S256"] === thumb256 || header.x5t === thumb1;
  if (!byThumb) return "unknown certificate thumbprint";
  const key = cert.publicKey;
  const data = Buffer.from(`${h}.${p}`);
  const signature = Buffer.from(s, "base64url");
  const ok =
    header.alg === "PS256"
      ? verify("sha256", data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature)
      : header.alg === "RS256" && verify("sha256", data, key, signature);
  if (!ok) return "bad signature";
  if (payload.aud !== tokenEndpoint) return "wrong audience";
  if (payload.iss !== app.clientId || payload.sub !== app.clientId) return "wrong issuer";
  if (typeof payload.exp !== "number" || payload.exp < nowSeconds) return "expired assertion";
  return null;
}

/** Checks one token request (form fields) and mints an opaque access token into `issued`. */
export function answerTokenRequest(
  form: URLSearchParams,
  app: RegisteredApp,
  tokenEndpoint: string,
  issued: Set<string>,
): TokenAnswer {
  if (form.get("grant_type") !== "client_credentials")
    return error(400, "unsupported_grant_type", "AADSTS70003: only client_credentials");
  if (form.get("client_id") !== app.clientId)
    return error(400, "unauthorized_client", "AADSTS700016: application not found in the directory");
  if (form.get("scope") !== "https://graph.microsoft.com/.default")
    return error(400, "invalid_scope", "AADSTS1002012: the scope must be the .default of a resource");
  const secret = form.get("client_secret");
  const assertion = form.get("client_assertion");
  if (secret !== null) {
    if (!app.secret || !same(secret, app.secret))
      return error(401, "invalid_client", "AADSTS7000215: invalid client secret provided");
  } else if (assertion !== null && form.get("client_assertion_type") === ASSERTION_TYPE) {
    const why = checkClientAssertion(assertion, app, tokenEndpoint, Math.floor(Date.now() / 1000));
    if (why) return error(401, "invalid_client", `AADSTS700027: client assertion refused: ${why}`);
  } else return error(401, "invalid_client", "AADSTS7000216: client_assertion or client_secret required");
  const token = randomBytes(24).toString("base64url");
  issued.add(token);
  return {
    status: 200,
    body: { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: token },
  };
}
