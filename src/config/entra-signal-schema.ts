// The `tenants[].signals.entra` options: the Microsoft Graph delta channel of one Entra tenant
// (specs/idp-signals.md §1.3). Secrets are named here and read from KEYBRIDGE_SECRET_<NAME>[_FILE].
import { z } from "zod";

/** Hosts whose traffic never leaves the machine: the only place a plain-http URL is accepted. */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * An https URL, or an http URL on a loopback host. Why loopback http at all: the Graph fake that tests,
 * benches and `keybridge simulate entra` run listens on 127.0.0.1 without TLS, and an operator's config
 * is the same schema (no hidden test switch). Plain http to any other host would put the bearer token and
 * client secret on the wire, so it is refused at start-up.
 */
export function isSecureOrLoopbackUrl(text: string): boolean {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.pathname !== "/" || url.search || url.hash) return false;
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
}

const baseUrl = (meaning: string) =>
  z
    .string()
    .refine(
      isSecureOrLoopbackUrl,
      "an https origin (no path), or http on 127.0.0.1/localhost for a local fake",
    )
    .transform((s) => new URL(s).origin)
    .describe(meaning);

const secretName = z.string().regex(/^[A-Z0-9_]+$/, "a secret name: upper-case letters, digits and '_'");

export const entraSignalSchema = z
  .object({
    tenantId: z
      .string()
      .regex(/^[A-Za-z0-9.-]{1,100}$/, "the Entra directory (tenant) id or verified domain")
      .refine(
        (t) => !["common", "organizations", "consumers"].includes(t),
        "client credentials need a tenant",
      )
      .describe("Entra directory (tenant) id; client credentials refuse common/organizations"),
    clientId: z.string().min(1).describe("application (client) id of the app registration"),
    secretName: secretName
      .optional()
      .describe("names the client secret KEYBRIDGE_SECRET_<NAME>; or use certificateName + privateKeyName"),
    certificateName: secretName
      .optional()
      .describe("names the PEM certificate uploaded to the app registration (KEYBRIDGE_SECRET_<NAME>)"),
    privateKeyName: secretName.optional().describe("names the certificate's PEM private key"),
    authorityHost: baseUrl("Entra sign-in host").default("https://login.microsoftonline.com"),
    graphBaseUrl: baseUrl(
      "Microsoft Graph origin; links to any other origin are refused so the token never leaves it",
    ).default("https://graph.microsoft.com"),
    pollIntervalSeconds: z
      .number()
      .int()
      .min(1)
      .max(86_400)
      .default(60)
      .describe("seconds between delta rounds (users and groups)"),
    leaveDateQueryHours: z
      .number()
      .positive()
      .default(24)
      .describe("how often upcoming employeeLeaveDateTime values are queried (hours)"),
    leaveDateLookaheadDays: z
      .number()
      .int()
      .positive()
      .max(180)
      .default(7)
      .describe("leave dates up to this many days ahead get a scheduled revocation"),
  })
  .strict()
  .refine(
    (e) =>
      e.secretName ? !e.certificateName && !e.privateKeyName : !!e.certificateName && !!e.privateKeyName,
    {
      message: "give either secretName, or certificateName and privateKeyName",
    },
  );

export type EntraSignalConfig = z.infer<typeof entraSignalSchema>;
