// The operator console end to end in a real headless Chromium (Debian's, driven by playwright-core)
// against the processes `keybridge start` runs (API + workers on one core, real Redis, the example's
// key systems on the simulated memory driver): sign in with an admin token, find an Entra-provisioned
// person and the rule behind their profile, deactivate them over SCIM and watch the pending board show
// the revocation reach effective without a reload, run an emergency revoke and find it in the audit.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { AdminTokens } from "../../src/admin/admin-tokens";
import { startTestRedis, type TestRedis } from "../helpers/test-redis";
import { type E2eKeybridge, e2eConfig, startKeybridge } from "../e2e/e2e-processes";
import { EXAMPLE_PERSONS, EXAMPLE_TENANTS, exampleMappings } from "../e2e/example-flow";
import { deactivate, provision } from "../e2e/idp-sequences";
import { launchChromium, screenshot, watchConsoleErrors } from "./console-browser";

// Slow enough programming that the board shows the revocation pending before it turns effective.
const SIMULATED = { options: { programmingDelayMs: 2500, propagationDelayMs: 2500 } };
const TENANT = "nordwerk-entra";
const grete = EXAMPLE_PERSONS.find((p) => p.facts.userName.startsWith("grete"))!;
const hanna = {
  ...grete.facts,
  userName: "hanna.shift@nordwerk.example",
  mobile: "+4915100000009",
  groups: [], // grete's provisioning made the groups; hanna holds hq-general by staff-headquarters
};

describe("operator console in headless Chromium", () => {
  let redis: TestRedis;
  let kb: E2eKeybridge;
  let browser: Browser;
  let page: Page;
  let base: string;
  let operatorToken: string;
  let errors: string[];
  let mappingsDir: string;

  beforeAll(async () => {
    browser = await launchChromium(); // first: a missing chromium fails here, before anything starts
    redis = await startTestRedis();
    mappingsDir = exampleMappings({ "main-iloq": "memory", "substations-cliq": "memory" });
    kb = await startKeybridge(
      e2eConfig({
        redisUrl: redis.url,
        mappingsDir,
        tenants: EXAMPLE_TENANTS,
        keySystems: { "main-iloq": SIMULATED, "substations-cliq": SIMULATED },
        reconcile: { backoffMs: 50, confirmAfterMs: 200 },
      }),
      "start",
    );
    base = `http://127.0.0.1:${kb.port}`;
    const tokens = new AdminTokens({ redis: kb.core.redis, audit: kb.core.audit });
    operatorToken = (await tokens.create("olga", "operator", { actor: "test" })).secret;
    page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    errors = watchConsoleErrors(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await kb?.close();
    await redis?.stop();
  });

  it("signs in with an admin token and shows why a person holds a profile", async () => {
    const scim = await kb.scim(TENANT);
    const id = await provision("entra", scim, grete.facts);
    await kb.waitForLedger(TENANT, "main-iloq", id, "control-room", "grant", ["effective"]);

    await page.goto(`${base}/console/persons`);
    expect(page.url()).toBe(`${base}/console/login`); // no session: to the login page
    await screenshot(page, "login");
    await page.getByLabel("Admin token").fill(operatorToken);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${base}/console/persons`);

    await page.getByLabel(/Search by userName/).fill("grete");
    await page.getByLabel(/Search by userName/).press("Enter");
    await page.getByRole("link", { name: grete.facts.userName }).click();
    await page.waitForURL(`${base}/console/persons/${TENANT}/${id}`);
    const controlRoom = page.locator('tr[data-profile="control-room"]');
    await expect(controlRoom.textContent()).resolves.toContain("control-room-operators");
    await expect(controlRoom.textContent()).resolves.toContain("Grid Operations");
    await expect(controlRoom.textContent()).resolves.toContain("grant effective");
    await screenshot(page, "person");
  }, 120_000);

  it("shows the revocation reach effective on the pending board without a reload", async () => {
    const scim = await kb.scim(TENANT);
    const found = await scim(
      "GET",
      `/Users?filter=${encodeURIComponent(`userName eq "${grete.facts.userName}"`)}`,
    );
    const id = String((found.body.Resources as Array<{ id: string }>)[0]!.id);
    await page.goto(`${base}/console/pending`);
    let navigations = 0;
    page.on("framenavigated", () => navigations++);
    await page.evaluate('window.kbMarker = "same page"'); // gone if the page were reloaded

    await deactivate("entra", scim, id);
    const row = (table: string) =>
      page.locator(`#${table} tr[data-person="${id}"][data-profile="control-room"]`);
    await row("pending").waitFor({ timeout: 60_000 });
    await expect(row("pending").getAttribute("data-state")).resolves.toMatch(/requested|pending_/);
    await screenshot(page, "pending-revocations");
    await row("recent").waitFor({ timeout: 60_000 });
    await expect(row("recent").getAttribute("data-state")).resolves.toBe("effective");
    expect(navigations).toBe(0);
    await expect(page.evaluate("window.kbMarker")).resolves.toBe("same page");
  }, 120_000);

  it("runs an emergency revoke with a reason and finds it in the audit search", async () => {
    const scim = await kb.scim(TENANT);
    const id = await provision("entra", scim, hanna);
    await kb.waitForLedger(TENANT, "main-iloq", id, "hq-general", "grant", ["effective"]);
    await page.goto(`${base}/console/persons/${TENANT}/${id}`);
    await page
      .getByLabel(/Reason/)
      .last()
      .fill("key reported lost, INC-4711");
    await page.getByRole("button", { name: "Emergency revoke" }).click();
    await page.locator("#emergency-result .notice.ok").waitFor();
    await kb.waitForLedger(TENANT, "main-iloq", id, "hq-general", "revoke", ["effective"], 30_000);

    await page.goto(`${base}/console/audit`);
    await page.getByLabel(/Person/).fill(hanna.userName);
    await page.getByLabel("Tenant", { exact: true }).fill(TENANT);
    await page.getByLabel(/Event type/).fill("operator.");
    await page.getByRole("button", { name: "Search" }).click();
    const results = page.locator("#audit-results");
    await expect(results.textContent()).resolves.toContain("key reported lost, INC-4711");
    await expect(results.textContent()).resolves.toContain("operator:olga");
    await screenshot(page, "audit");
  }, 120_000);

  it("previews who would lose a profile if the mapping files on disk were loaded", async () => {
    // The reviewer's edit, not yet reloaded: headquarters only for apprentices.
    const rules = join(mappingsDir, "rules.yaml");
    writeFileSync(
      rules,
      readFileSync(rules, "utf8").replace("in: [Employee, Apprentice]", "in: [Apprentice]"),
    );
    await page.goto(`${base}/console/plan`);
    const losses = page.locator("table", { hasText: "Who loses" });
    await expect(losses.textContent()).resolves.toContain(hanna.userName);
    await expect(losses.textContent()).resolves.toContain("hq-general");
    await screenshot(page, "plan");
  }, 120_000);

  it("builds the evidence report for the tenant: the emergency revoke counts, the HTML is offered", async () => {
    await page.goto(`${base}/console/report`);
    await page.getByLabel("Tenant").selectOption(TENANT);
    await page.getByRole("button", { name: "Build report" }).click();
    const figures = page.locator("#evidence-figures");
    await figures.waitFor();
    const text = (await figures.textContent())?.replace(/\s+/g, " ");
    expect(text).toMatch(/Revocations ?[1-9]\d* \([1-9]\d* effective/);
    await expect(page.locator("#evidence-downloads a", { hasText: "HTML" }).count()).resolves.toBe(1);
    await screenshot(page, "report");
  }, 120_000);

  it("renders the remaining pages under the CSP without script errors", async () => {
    for (const name of ["attention", "systems"]) {
      await page.goto(`${base}/console/${name}`);
      await expect(page.locator("h1").count()).resolves.toBe(1);
      if (name === "systems") await page.locator('tr[data-system="main-iloq"]').waitFor();
      await screenshot(page, name);
    }
    expect(errors.filter((e) => /Content Security Policy|Refused|Uncaught/.test(e))).toEqual([]);
  }, 120_000);
});
