// The benchmark's open-source peer: stock SCIMMY 1.3.5 + scimmy-routers 1.3.2 on Express 5 with an
// in-memory handler as their READMEs show (no durability, audit or downstream work). One addition:
// the Express 5 `req.query` fix from specs/scimmy-and-bullmq.md A2, without which the routers silently
// ignore startIndex/count (every page would be the first). Prints its port: `node -r tsx/cjs <this>`.
import { randomUUID } from "node:crypto";
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

const TOKEN = process.argv[2] ?? "";
type Stored = Record<string, unknown> & { id: string };

// RFC 7644 §3.12: a 404 has no scimType (SCIMMY's typings want a string there).
const notFound = (detail: string) => new SCIMMY.Types.Error(404, null as unknown as string, detail);

/** egress/ingress/degress over one Map per resource type, as the READMEs' in-memory example does. */
function inMemory(kind: string) {
  const rows = new Map<string, Stored>();
  return {
    egress: (resource: { id?: string; filter?: { match(rows: Stored[]): Stored[] } }) => {
      // SCIMMY pages and projects the list egress returns, but leaves filtering to the handler.
      if (resource.id === undefined) {
        const all = [...rows.values()];
        return resource.filter ? resource.filter.match(all) : all;
      }
      const row = rows.get(resource.id);
      if (!row) throw notFound(`${kind} ${resource.id} not found`);
      return row;
    },
    ingress: (resource: { id?: string }, instance: Record<string, unknown>) => {
      const id = resource.id ?? randomUUID();
      if (resource.id !== undefined && !rows.has(id)) throw notFound(`${kind} ${id} not found`);
      const now = new Date().toISOString();
      const created = (rows.get(id)?.meta as { created?: string } | undefined)?.created ?? now;
      const row = { ...instance, id, meta: { resourceType: kind, created, lastModified: now } };
      rows.set(id, row);
      return row;
    },
    degress: (resource: { id?: string }) => {
      if (!resource.id || !rows.delete(resource.id)) throw notFound(`${kind} ${resource.id} not found`);
    },
  };
}

function declare(resource: typeof SCIMMY.Resources.User | typeof SCIMMY.Resources.Group, kind: string) {
  // biome-ignore lint/suspicious/noExplicitAny: SCIMMY's JSDoc types do not model handler signatures.
  SCIMMY.Resources.declare(resource, inMemory(kind) as any);
}

declare(SCIMMY.Resources.User, "User");
declare(SCIMMY.Resources.Group, "Group");

const app = express();
app.use((req, _res, next) => {
  // Express 5 re-parses req.query on every read; the routers' numeric cast must stick (spec A2).
  Object.defineProperty(req, "query", { value: { ...req.query }, writable: true, configurable: true });
  next();
});
app.use(
  "/scim/v2/bench",
  new SCIMMYRouters({
    type: "bearer",
    handler: (req: express.Request) => {
      if (req.header("authorization") !== `Bearer ${TOKEN}`) throw new Error("Authorization not detected!");
      return "bench";
    },
  }) as unknown as express.Router,
);
const server = app.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`${typeof address === "object" && address ? address.port : 0}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
