// Runs the Graph fake stand-alone (`keybridge simulate entra [--port N]`): an Entra tenant with a few
// users in the example's groups, and the `signals.entra` config that points a tenant at it.
import { GraphFakeServer } from "./graph-fake-server";

export const GRAPH_SIMULATOR_PORT = 8093;
export const SIMULATED_ENTRA_TENANT = "6f1c2d3e-4a5b-4c6d-8e7f-901a2b3c4d5e";
const CLIENT_ID = "keybridge-simulated-app";
const SECRET = "simulated-graph-secret";

/** Users (Entra object ids) and groups the simulator starts with; SCIM externalIds should match them. */
export const SIMULATED_USERS = [
  "3f9c1a2b-0001-4d5e-8f00-aa0000000001",
  "3f9c1a2b-0002-4d5e-8f00-aa0000000002",
  "3f9c1a2b-0003-4d5e-8f00-aa0000000003",
];
export const SIMULATED_GROUP = "5b0e6c2d-3f1a-4a8e-9d47-0c2f9e1b7a31";

export async function startGraphSimulator(options: { port?: number; host?: string } = {}) {
  const fake = new GraphFakeServer({
    tenantId: SIMULATED_ENTRA_TENANT,
    app: { clientId: CLIENT_ID, secret: SECRET },
  });
  fake.directory.addGroup(SIMULATED_GROUP, "CR Operators");
  for (const id of SIMULATED_USERS) {
    fake.directory.addUser({ id });
    fake.directory.addMember(SIMULATED_GROUP, id);
  }
  const url = await fake.start(options.port ?? GRAPH_SIMULATOR_PORT, options.host ?? "127.0.0.1");
  const banner = [
    `Microsoft Entra + Graph fake listening on ${url} (token endpoint, /v1.0/users/delta, /v1.0/groups/delta)`,
    `  seeded: group ${SIMULATED_GROUP} (CR Operators) with users ${SIMULATED_USERS.join(", ")}`,
    "  add to a tenant in keybridge.yaml:",
    "    signals:",
    "      entra:",
    `        tenantId: ${SIMULATED_ENTRA_TENANT}`,
    `        clientId: ${CLIENT_ID}`,
    "        secretName: ENTRA_GRAPH_SECRET",
    `        authorityHost: ${url}`,
    `        graphBaseUrl: ${url}`,
    `  and set KEYBRIDGE_SECRET_ENTRA_GRAPH_SECRET=${SECRET}`,
    `  control plane: POST ${url}/__fake/users/{id}/disable | /enable | /leave {"at":"<ISO>"}; DELETE /__fake/users/{id};`,
    `    POST /__fake/groups/{id}/members/{userId}/remove; POST /__fake/users {"id":"…"}; GET /__fake/users;`,
    `    POST /__fake/faults {"path":"/v1.0/users/delta","status":429,"retryAfterSeconds":5,"times":3}; POST /__fake/expire-delta-tokens`,
  ].join("\n");
  return { fake, banner };
}
