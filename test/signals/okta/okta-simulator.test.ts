// `keybridge simulate okta`: the configuration its banner prints works as printed — the service app's
// key file and client id read the System Log through the SDK, and the printed curl appends a leaver.
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { parseConfig } from "../../../src/config/load-config";
import { OKTA_SIGNAL_EVENT_TYPES } from "../../../src/signals/okta-event-kinds";
import { createOktaLogFetcher } from "../../../src/signals/okta/okta-log-fetcher";
import { firstLogUrl } from "../../../src/signals/okta/okta-log-links";
import { startOktaSimulator } from "../../fakes/okta/okta-simulator";

describe("keybridge simulate okta", () => {
  it("prints a tenant config and a curl that, used as printed, deliver a leaver through the SDK", async () => {
    const { fake, banner } = await startOktaSimulator({ port: 0 });
    try {
      const lines = banner.split("\n");
      const yamlStart = lines.findIndex((l) => l.trim() === "tenants:");
      const yamlEnd = lines.findIndex((l, i) => i > yamlStart && !l.startsWith("     "));
      const printed = parse(lines.slice(yamlStart, yamlEnd).join("\n")) as {
        tenants: Array<Record<string, unknown>>;
      };
      const tenant = { ...printed.tenants[0], displayName: "Okta", kind: "okta" };
      const settings = parseConfig({ tenants: [tenant] }).tenants[0]?.signals?.oktaLog;
      const keyFile = /KEYBRIDGE_SECRET_OKTA_LOG_KEY_FILE=(\S+)/.exec(banner)?.[1];
      if (!settings || !keyFile) throw new Error(`banner lacks config or key file:\n${banner}`);

      const curl = /curl -s -X POST (\S+) .* -d '(.*)'$/m.exec(banner);
      const body = curl?.[2]?.replace("<externalId>", "ext-leaver");
      const sent = await fetch(curl?.[1] ?? "", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(sent.status).toBe(201);

      const fetcher = createOktaLogFetcher(settings, { OKTA_LOG_KEY: readFileSync(keyFile, "utf8") }, "t");
      const since = new Date(Date.now() - 60_000).toISOString();
      const page = await fetcher.fetchPage(firstLogUrl(settings.orgUrl, since, OKTA_SIGNAL_EVENT_TYPES, 10));
      if (!page.ok) throw new Error(page.message);
      expect(page.events).toMatchObject([
        { eventType: "user.lifecycle.deactivate", target: [{ id: "ext-leaver", type: "User" }] },
      ]);
    } finally {
      await fake.stop();
    }
  });
});
