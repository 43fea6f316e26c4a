// Unmodified msal-node against the Graph fake: client credentials with a secret and with a certificate
// (private-key JWT verified by the fake against the registered certificate), and what a wrong one gets.
import { entraSignalSchema } from "../../../src/config/entra-signal-schema";
import { entraTokenSource } from "../../../src/signals/entra/entra-token-source";
import { GraphFakeServer } from "../../fakes/graph/graph-fake-server";
import { makeTestCertificate } from "../../fakes/graph/graph-test-certificate";

const TENANT_ID = "11111111-2222-3333-4444-555555555555";
const registered = makeTestCertificate("registered");
const stranger = makeTestCertificate("stranger");

let fake: GraphFakeServer;

beforeAll(async () => {
  fake = new GraphFakeServer({
    tenantId: TENANT_ID,
    app: { clientId: "app-1", secret: "s3cret", certificatePem: registered.certificatePem },
  });
  await fake.start();
});
afterAll(() => fake.stop());

const config = (credential: Record<string, string>) =>
  entraSignalSchema.parse({
    tenantId: TENANT_ID,
    clientId: "app-1",
    authorityHost: fake.url,
    graphBaseUrl: fake.url,
    ...credential,
  });

const tokenPosts = () =>
  fake.requests.filter((r) => r.method === "POST" && r.path.endsWith("/oauth2/v2.0/token"));

test("a client secret gets a token, cached by msal for the next call", async () => {
  const before = tokenPosts().length;
  const token = entraTokenSource(config({ secretName: "GRAPH_SECRET" }), { GRAPH_SECRET: "s3cret" });
  const first = await token();
  expect(await token()).toBe(first);
  expect(
    tokenPosts()
      .slice(before)
      .map((r) => r.status),
  ).toEqual([200]);
});

test("a certificate gets a token: the fake verifies the signed client assertion", async () => {
  const before = tokenPosts().length;
  const token = entraTokenSource(config({ certificateName: "GRAPH_CERT", privateKeyName: "GRAPH_KEY" }), {
    GRAPH_CERT: registered.certificatePem,
    GRAPH_KEY: registered.privateKeyPem,
  });
  expect(await token()).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  expect(
    tokenPosts()
      .slice(before)
      .map((r) => r.status),
  ).toEqual([200]);
});

test("a certificate the app registration does not know is refused", async () => {
  const token = entraTokenSource(config({ certificateName: "GRAPH_CERT", privateKeyName: "GRAPH_KEY" }), {
    GRAPH_CERT: stranger.certificatePem,
    GRAPH_KEY: stranger.privateKeyPem,
  });
  await expect(token()).rejects.toThrow(/invalid_client|AADSTS700027/);
});

test("a wrong secret is refused", async () => {
  const token = entraTokenSource(config({ secretName: "GRAPH_SECRET" }), { GRAPH_SECRET: "wrong" });
  await expect(token()).rejects.toThrow(/invalid_client|AADSTS7000215/);
});

test("the config refuses plain http to a non-loopback host and a tenant-less authority", () => {
  const base = { clientId: "a", secretName: "S" };
  expect(
    entraSignalSchema.safeParse({ ...base, tenantId: TENANT_ID, graphBaseUrl: "http://graph.example" })
      .success,
  ).toBe(false);
  expect(entraSignalSchema.safeParse({ ...base, tenantId: "common" }).success).toBe(false);
  expect(entraSignalSchema.safeParse({ ...base, tenantId: TENANT_ID }).success).toBe(true);
});
