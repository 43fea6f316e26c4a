// docker-compose.yml: the default profile stays Redis + `keybridge start`; the `scale` profile runs two
// `keybridge serve` behind nginx and two `keybridge worker` on the same Redis. Docker Compose is not
// installed here (and images cannot be pulled), so the file is parsed and checked as compose reads it
// (YAML merge keys resolved), and the files it mounts are loaded by keybridge's own loaders.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { loadConfig } from "../../src/config/load-config";

const ROOT = join(__dirname, "..", "..");

interface Service {
  image?: string;
  build?: string;
  command?: string[];
  profiles?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
}

const compose = parse(readFileSync(join(ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<string, Service>;
};
const services = compose.services;
const inProfile = (profile: string) =>
  Object.keys(services).filter((name) => services[name]!.profiles?.includes(profile));
const SCALE_PROCESSES = ["api-1", "api-2", "worker-1", "worker-2"];

/** A bind mount `./host:/container[:ro]` of a service, as [host path, container path]. */
function bindMount(service: Service, containerPath: string): string {
  const mount = service.volumes?.find((v) => v.split(":")[1] === containerPath);
  if (!mount) throw new Error(`no mount at ${containerPath}`);
  return join(ROOT, mount.split(":")[0]!);
}

describe("docker-compose.yml", () => {
  test("the default profile is unchanged: Redis and one `keybridge start`", () => {
    const always = Object.keys(services).filter((name) => !services[name]!.profiles);
    expect(always.sort()).toEqual(["keybridge", "redis"]);
    expect(services.keybridge!.command).toEqual(["start"]);
    expect(services.keybridge!.ports).toEqual(["8080:8080"]);
  });

  test("the scale profile runs two `serve`, two `worker` and a load balancer", () => {
    expect(inProfile("scale").sort()).toEqual(["api-1", "api-2", "lb", "worker-1", "worker-2"]);
    expect(SCALE_PROCESSES.map((name) => services[name]!.command)).toEqual([
      ["serve"],
      ["serve"],
      ["worker"],
      ["worker"],
    ]);
    expect(services.lb!.image).toMatch(/^nginx:/);
  });

  test("every scale process uses the one Redis once it is healthy, the same config and the same image", () => {
    for (const name of SCALE_PROCESSES) {
      const s = services[name]!;
      expect([name, s.environment?.REDIS_URL]).toEqual([name, "redis://redis:6379"]);
      expect(s.depends_on?.redis).toEqual({ condition: "service_healthy" });
      expect(s.environment?.KEYBRIDGE_CONFIG).toBe("/config/keybridge.yaml");
      expect(bindMount(s, "/config/keybridge.yaml")).toBe(join(ROOT, "deploy/compose/keybridge.yaml"));
      expect([s.build, s.image]).toEqual([".", "keybridge:local"]);
    }
  });

  test("APIs are health-checked on /healthz; workers (no listener) have the image's healthcheck off", () => {
    for (const name of ["api-1", "api-2"]) {
      const test = services[name]!.healthcheck?.test?.join(" ") ?? "";
      expect(test).toContain(`127.0.0.1:${services[name]!.environment?.PORT}/healthz`);
      // Not published: only nginx reaches them, which is what makes trusting X-Forwarded-For safe.
      expect(services[name]!.ports).toBeUndefined();
    }
    for (const name of ["worker-1", "worker-2"])
      expect(services[name]!.healthcheck).toEqual({ disable: true });
    // api-2 waits for api-1: only one process creates and prints the demo tenant's first token.
    expect(services["api-2"]!.depends_on?.["api-1"]).toEqual({ condition: "service_healthy" });
  });

  test("`up lb` starts the whole scale set: the load balancer depends on both APIs and both workers", () => {
    expect(Object.keys(services.lb!.depends_on ?? {}).sort()).toEqual(SCALE_PROCESSES);
    // Its host port does not clash with the default service's, which `--profile scale up` also starts.
    expect(services.lb!.ports).toEqual(["8081:8080"]);
  });

  test("nginx spreads over both APIs, passes the client address, and lets group bodies through", () => {
    const conf = readFileSync(bindMount(services.lb!, "/etc/nginx/nginx.conf"), "utf8");
    const upstream = /upstream\s+(\w+)\s*\{([^}]*)\}/.exec(conf);
    expect(upstream).not.toBeNull();
    const servers = [...upstream![2]!.matchAll(/server\s+([\w.-]+:\d+)/g)].map((m) => m[1]);
    expect(servers).toEqual(["api-1:8080", "api-2:8080"]);
    expect(conf).toContain(`proxy_pass http://${upstream![1]};`);
    expect(conf).toMatch(/listen 8080;/);
    expect(conf).toMatch(/proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;/);
    // keybridge's default group body limit; nginx's own default (1 MiB) would answer 413 below it.
    const config = loadConfig({ KEYBRIDGE_CONFIG: join(ROOT, "deploy/compose/keybridge.yaml") });
    const limit = /client_max_body_size (\d+)m;/.exec(conf);
    expect(Number(limit?.[1]) * 1024 * 1024).toBeGreaterThanOrEqual(config.scim.maxGroupBodyBytes);
  });

  test("the scale profile's config loads and trusts exactly the one proxy hop in front", () => {
    const env = services["api-1"]!.environment!;
    const config = loadConfig({ ...env, KEYBRIDGE_CONFIG: join(ROOT, "deploy/compose/keybridge.yaml") });
    expect(config.scim.trustProxy).toBe(1);
    expect(config.publicBaseUrl).toBe(`http://localhost:${services.lb!.ports![0]!.split(":")[0]}`);
  });
});
