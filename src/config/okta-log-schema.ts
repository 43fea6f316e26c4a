// The `tenants[].signals.oktaLog` settings: the Okta System Log poller of one tenant (idp-signals.md §2.3),
// authenticated as an API service app (private-key JWT, scope okta.logs.read) or with an SSWS token.
import { z } from "zod";

/** Secrets are named here and read from KEYBRIDGE_SECRET_<NAME>[_FILE] (config-schema.ts header). */
const secretName = z
  .string()
  .regex(/^[A-Z0-9_]+$/, "upper-case letters, digits and '_' (the <NAME> of KEYBRIDGE_SECRET_<NAME>)");

export const oktaLogSchema = z
  .object({
    orgUrl: z.string().url().describe("the Okta org, e.g. https://example.okta.com"),
    auth: z
      .enum(["ssws", "privateKey"])
      .describe(
        "privateKey: an API service app granted okta.logs.read (recommended); ssws: an API token of a read-only admin",
      ),
    tokenSecretName: secretName.optional().describe("ssws: secret holding the API token"),
    clientId: z.string().min(1).optional().describe("privateKey: the API service app's client id"),
    privateKeySecretName: secretName
      .optional()
      .describe("privateKey: secret holding the app's private key (PEM or JWK JSON)"),
    keyId: z.string().min(1).optional().describe("privateKey: `kid` of the app's registered public key"),
    pollIntervalSeconds: z
      .number()
      .positive()
      .default(15)
      .describe("seconds between polls of the System Log"),
    maxPagesPerTick: z.number().int().positive().default(5).describe("most System Log pages read per poll"),
    pageSize: z.number().int().min(1).max(1000).default(100).describe("`limit` of each System Log page"),
  })
  .strict()
  .superRefine((o, ctx) => {
    const need = o.auth === "ssws" ? ["tokenSecretName"] : ["clientId", "privateKeySecretName"];
    for (const key of need)
      if (o[key as keyof typeof o] === undefined)
        ctx.addIssue({ code: "custom", path: [key], message: `required when auth is ${o.auth}` });
  });

export type OktaLogConfig = z.infer<typeof oktaLogSchema>;
