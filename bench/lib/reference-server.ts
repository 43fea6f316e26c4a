// The benchmark's reference: a bare node:http server answering the same SCIM requests from in-memory
// maps, with no validation, storage or auth. Run as its own process so it does not share the load
// generator's event loop: `npx tsx bench/lib/reference-server.ts` prints its port.
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";

const users = new Map<string, Record<string, unknown>>();
const byUserName = new Map<string, string>();
const order: string[] = [];
const groups = new Map<string, { group: Record<string, unknown>; members: Set<string> }>();

function reply(res: import("node:http").ServerResponse, status: number, body?: unknown) {
  const text = body === undefined ? "" : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/scim+json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

function list(resources: unknown[], total: number, startIndex: number) {
  return {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
    totalResults: total,
    startIndex,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "http://x");
    const parts = url.pathname.split("/").filter(Boolean); // scim v2 tenant Users id
    const [type, id] = parts.slice(3);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
    if (type === "Users" && req.method === "POST") {
      const user = { ...body, id: randomUUID(), meta: { resourceType: "User" } };
      users.set(user.id, user);
      byUserName.set(String(user.userName).toLowerCase(), user.id);
      order.push(user.id);
      return reply(res, 201, user);
    }
    if (type === "Users" && req.method === "GET" && id) {
      const user = users.get(id);
      return user ? reply(res, 200, user) : reply(res, 404, { status: "404" });
    }
    if (type === "Users" && req.method === "GET") {
      const filter = url.searchParams.get("filter");
      if (filter) {
        const name = /userName eq "(.*)"/.exec(filter)?.[1]?.toLowerCase() ?? "";
        const found = byUserName.get(name);
        const user = found ? users.get(found) : undefined;
        return reply(res, 200, list(user ? [user] : [], user ? 1 : 0, 1));
      }
      const start = Number(url.searchParams.get("startIndex") ?? 1);
      const count = Number(url.searchParams.get("count") ?? 100);
      const page = order.slice(start - 1, start - 1 + count).map((u) => users.get(u));
      return reply(res, 200, list(page, order.length, start));
    }
    if (type === "Users" && req.method === "PATCH" && id) {
      const user = users.get(id);
      if (!user) return reply(res, 404, { status: "404" });
      for (const op of body.Operations ?? [])
        if (op.value && typeof op.value === "object") Object.assign(user, op.value);
      return reply(res, 200, user);
    }
    if (type === "Groups" && req.method === "POST") {
      const group = { ...body, id: randomUUID() };
      delete group.members;
      groups.set(group.id, { group, members: new Set() });
      return reply(res, 201, group);
    }
    if (type === "Groups" && req.method === "PATCH" && id) {
      const entry = groups.get(id);
      if (!entry) return reply(res, 404, { status: "404" });
      for (const op of body.Operations ?? []) for (const m of op.value ?? []) entry.members.add(m.value);
      return reply(res, 204);
    }
    reply(res, 404, { status: "404" });
  });
});

server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const addr = server.address();
  process.stdout.write(`${typeof addr === "object" && addr ? addr.port : 0}\n`);
});
