// Runs the Okta org fake stand-alone (`keybridge simulate okta [--port N]`) for demos: an SSWS token and an
// API service app (its private key written to a temp file) both read the System Log; the banner prints the
// tenant config, the secrets to export and the curl that appends a leaver's deactivation to the log.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { OktaOrgFake } from "./org-fake";

export const OKTA_SIMULATOR_PORT = 8094;
export const OKTA_SIMULATOR_TOKEN = "00demo-okta-log-read-only-token";
export const OKTA_SIMULATOR_CLIENT_ID = "0oademokeybridgelog";

function writeServiceAppKey(fake: OktaOrgFake): string {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  fake.addServiceApp(OKTA_SIMULATOR_CLIENT_ID, publicKey.export({ type: "spki", format: "pem" }).toString());
  const file = join(mkdtempSync(join(tmpdir(), "kb-okta-sim-")), "service-app-key.pem");
  writeFileSync(file, privateKey.export({ type: "pkcs1", format: "pem" }), { mode: 0o600 });
  return file;
}

export async function startOktaSimulator(
  options: { port?: number; host?: string } = {},
): Promise<{ fake: OktaOrgFake; banner: string }> {
  const fake = new OktaOrgFake();
  fake.sswsTokens.add(OKTA_SIMULATOR_TOKEN);
  const keyFile = writeServiceAppKey(fake);
  const url = await fake.start(options.port ?? OKTA_SIMULATOR_PORT, options.host ?? "127.0.0.1");
  const oktaLog = {
    orgUrl: url,
    auth: "privateKey",
    clientId: OKTA_SIMULATOR_CLIENT_ID,
    privateKeySecretName: "OKTA_LOG_KEY",
  };
  const yaml = stringify({ tenants: [{ id: "nordwerk-okta", signals: { oktaLog } }] }, { lineWidth: 0 });
  const event = JSON.stringify({
    eventType: "user.lifecycle.deactivate",
    userId: "<externalId>",
  });
  const banner = [
    `Okta org fake listening on ${url} (GET /api/v1/logs, POST /oauth2/v1/token; System Log polling semantics)`,
    "  Add to your tenant in the config file (KEYBRIDGE_CONFIG), next to its id, displayName and kind:",
    ...yaml
      .trimEnd()
      .split("\n")
      .map((l) => `    ${l}`),
    "  and set in the environment of keybridge start:",
    `    export KEYBRIDGE_SECRET_OKTA_LOG_KEY_FILE=${keyFile}`,
    `  Or with an SSWS token: auth: ssws, tokenSecretName: OKTA_LOG_TOKEN and`,
    `    export KEYBRIDGE_SECRET_OKTA_LOG_TOKEN=${OKTA_SIMULATOR_TOKEN}`,
    "  Send a leaver (Okta's user id is the SCIM externalId under the default join key):",
    `    curl -s -X POST ${url}/__fake/events -H 'content-type: application/json' -d '${event}'`,
    "  Other event types: user.lifecycle.suspend, user.lifecycle.delete.initiated, user.session.clear,",
    '    group.user_membership.remove (add "groupId"), user.lifecycle.reactivate.',
  ].join("\n");
  return { fake, banner };
}
