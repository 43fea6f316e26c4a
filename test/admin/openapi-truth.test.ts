// The OpenAPI document at /admin/v1/openapi.json lists exactly the routes the admin router serves:
// this walks the Express router the API process mounts (built by the same adminMounts) and compares paths and methods both ways.
import { adminMounts } from "../../src/runtime/admin-mounts";
import { type AdminHarness, startAdminHarness } from "./admin-harness";

interface Layer {
  rawPath?: string | string[];
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

function walk(stack: Layer[], prefix: string): string[] {
  return stack.flatMap((layer) => {
    if (layer.route)
      return Object.keys(layer.route.methods)
        .filter((m) => m !== "_all")
        .map((m) => `${m} ${prefix}${layer.route!.path === "/" ? "" : layer.route!.path}`);
    const nested = layer.handle.stack;
    if (!nested) return [];
    const path = typeof layer.rawPath === "string" && layer.rawPath !== "/" ? layer.rawPath : "";
    return walk(nested, prefix + path);
  });
}

let h: AdminHarness;
beforeAll(async () => {
  h = await startAdminHarness();
});
afterAll(async () => h?.close());

test("every served admin route is documented and every documented one is served", async () => {
  const { status, body } = await h.call("GET", "/admin/v1/openapi.json");
  expect(status).toBe(200);
  const documented = Object.entries((body as { paths: Record<string, Record<string, unknown>> }).paths)
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} /admin/v1${path}`))
    .sort();
  const mount = adminMounts(h.kb.core).mounts.find((m) => m.path === "/admin");
  const served = walk((mount!.router as unknown as { stack: Layer[] }).stack, "/admin")
    .map((r) => r.replace(/:(\w+)/g, "{$1}"))
    .sort();
  expect(served.length).toBeGreaterThan(20);
  expect(served).toEqual(documented);
});
