// The Entra channel signed in with a certificate from the secrets mechanism (KEYBRIDGE_SECRET_*): msal
// sends a private-key JWT that the fake verifies against the registered certificate; a disable revokes.
import { makeTestCertificate } from "../../fakes/graph/graph-test-certificate";
import {
  ENTRA_TENANT_ID,
  type EntraHarness,
  programmedRefs,
  provisionStaff,
  startEntraHarness,
  waitFor,
} from "./entra-harness";

let h: EntraHarness;

beforeAll(async () => {
  h = await startEntraHarness({ certificate: makeTestCertificate("kb-app") });
});
afterAll(() => h.close());

test("with a certificate credential, a disable in Entra revokes the person's keys", async () => {
  const entraId = "00000000-0000-4000-b000-000000000001";
  const personId = await provisionStaff(h, entraId);
  await waitFor(async () => (await programmedRefs(h, personId)).includes("profile-1"), "office granted");
  h.fake.directory.disable(entraId);
  await waitFor(async () => (await programmedRefs(h, personId)).length === 0, "office revoked");
  const tokenCalls = h.fake.requests.filter((r) => r.path === `/${ENTRA_TENANT_ID}/oauth2/v2.0/token`);
  expect(tokenCalls.length).toBeGreaterThan(0);
  expect(tokenCalls.every((r) => r.status === 200)).toBe(true);
});

test("a start whose Entra credential secret is not set is refused, naming the tenant and the variable", async () => {
  const refused = startEntraHarness({ omitSecret: true });
  await expect(refused).rejects.toMatchObject({ code: "BRIDGE_CONFIG_INVALID" });
  await expect(refused).rejects.toHaveProperty("violations", [
    expect.stringMatching(
      /^tenants\[0\]\.signals\.entra: secret GRAPH_SECRET is not set \(KEYBRIDGE_SECRET_GRAPH_SECRET\)/,
    ),
  ]);
});
