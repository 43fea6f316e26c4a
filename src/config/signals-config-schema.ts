// The per-tenant `signals` settings of the fast revocation channels (issue #11). The Entra Graph and
// Okta System Log channels add their own keys (`entra`, `oktaLog`) to this object.
import { z } from "zod";
import { entraSignalSchema } from "./entra-signal-schema";
import { oktaLogSchema } from "./okta-log-schema";

/** Secrets are named here and read from KEYBRIDGE_SECRET_<NAME>[_FILE] (config-schema.ts header). */
const secretName = z
  .string()
  .regex(/^[A-Z0-9_]+$/, "upper-case letters, digits and '_' (the <NAME> of KEYBRIDGE_SECRET_<NAME>)");

/** `externalId`, `userName`, or a SCIM attribute path such as `<urn>:employeeNumber`. */
const joinKey = z
  .string()
  .regex(
    /^(urn:[A-Za-z0-9.:-]+:)?[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)?$/,
    "externalId, userName or a SCIM attribute path like <urn>:employeeNumber",
  );

export const oktaHookSchema = z
  .object({
    secretName: secretName.describe(
      "secret holding the value Okta sends verbatim in the hook's auth header (Event Hook authScheme value)",
    ),
    headerName: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/)
      .default("authorization")
      .describe("the HTTP header Okta puts the secret in (Event Hook authScheme key)"),
  })
  .strict();

export const sailpointTriggerSchema = z
  .object({
    auth: z
      .enum(["bearer", "basic"])
      .describe("how the ISC trigger subscription authenticates: BEARER_TOKEN or BASIC_AUTH"),
    secretName: secretName.describe("secret holding the bearer token, or `user:password` for basic"),
  })
  .strict();

export const tenantSignalsSchema = z
  .object({
    joinKey: joinKey
      .default("externalId")
      .describe(
        "SCIM attribute an IdP signal's person id is matched on: externalId (Entra object id, Okta user id), userName, or an attribute path (e.g. the SailPoint identity id)",
      ),
    sessionsRevoked: z
      .enum(["evidence", "suspend"])
      .default("evidence")
      .describe(
        "what a sessions-revoked signal (Okta user.session.clear/end) does: audited as evidence only, or suspends the person like a disable",
      ),
    oktaHook: oktaHookSchema.optional().describe("enables the Okta Event Hook receiver /hooks/okta/{tenant}"),
    sailpoint: sailpointTriggerSchema
      .optional()
      .describe("enables the SailPoint ISC trigger receiver /hooks/sailpoint/{tenant}"),
    entra: entraSignalSchema
      .optional()
      .describe("enables the Microsoft Graph delta channel (poller in the workers)"),
    oktaLog: oktaLogSchema.optional().describe("polls this tenant's Okta System Log for leavers"),
  })
  .strict();

export type TenantSignalsConfig = z.infer<typeof tenantSignalsSchema>;
