// The Helm chart (deploy/helm/keybridge): rendered with the chart's template subset (no helm here),
// schema-checked with kubernetes-models, and checked for what an operator relies on — the API and the
// workers run the right roles, probes hit real paths, selectors match, secrets arrive as files under the
// names keybridge reads, and the config and mappings reach the pods in a form keybridge loads.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, parseAllDocuments } from "yaml";
import { loadConfig, parseConfig } from "../../src/config/load-config";
import { silentLogger } from "../../src/log/logger";
import { loadCheckedMappings } from "../../src/runtime/driver-scope-schemas";
import { startProcesses } from "../../src/runtime/start-processes";
import { chartValuesJsonSchema, chartValuesSchema, VALUES_SCHEMA_FILE } from "../helpers/chart-values-schema";
import { mergeValues, type RenderedManifest, renderChart } from "../helpers/render-chart";
import { startTestRedis } from "../helpers/test-redis";
import { findUnknownFields, validateManifests } from "../helpers/validate-manifests";

const CHART = join(__dirname, "..", "..", "deploy", "helm", "keybridge");
const REPO_MAPPINGS = join(__dirname, "..", "..", "mappings");

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Mount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
}
interface Volume {
  name: string;
  emptyDir?: object;
  configMap?: { name: string };
  secret?: { secretName: string; items?: Array<{ key: string; path: string }> };
}
interface Container {
  name: string;
  args?: string[];
  env?: EnvVar[];
  ports?: Array<{ name: string; containerPort: number }>;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: object; limits?: object };
  securityContext?: Record<string, unknown>;
  volumeMounts?: Mount[];
  lifecycle?: { preStop?: { exec?: { command: string[] } } };
}
interface Deployment {
  metadata: { name: string };
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        containers: Container[];
        volumes?: Volume[];
        securityContext?: Record<string, unknown>;
        terminationGracePeriodSeconds?: number;
      };
    };
  };
}
interface Selecting {
  metadata: { name: string };
  spec: {
    selector: Record<string, string> & { matchLabels?: Record<string, string> };
    minAvailable?: number;
  };
}

function find<T>(rendered: RenderedManifest[], kind: string, name: string): T {
  const hit = rendered.find(
    (r) => r.manifest.kind === kind && (r.manifest.metadata as Selecting["metadata"]).name === name,
  );
  if (!hit) throw new Error(`no ${kind} ${name} in ${rendered.map((r) => r.source).join(", ")}`);
  return hit.manifest as unknown as T;
}

function container(rendered: RenderedManifest[], name: string): Container {
  return find<Deployment>(rendered, "Deployment", name).spec.template.spec.containers[0]!;
}

function envOf(c: Container): Record<string, EnvVar> {
  return Object.fromEntries((c.env ?? []).map((e) => [e.name, e]));
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

const API_ONLY_ENV = ["PORT", "HOST", "KEYBRIDGE_API_PROCESSES"];

describe("Helm chart deploy/helm/keybridge", () => {
  const defaults = renderChart(CHART);

  test("default values render an API and a worker Deployment, a Service, two PDBs and the config", () => {
    expect(
      defaults.map((r) => `${r.manifest.kind}/${(r.manifest.metadata as { name: string }).name}`).sort(),
    ).toEqual([
      "ConfigMap/kb-config",
      "Deployment/kb-api",
      "Deployment/kb-worker",
      "PodDisruptionBudget/kb-api",
      "PodDisruptionBudget/kb-worker",
      "Service/kb-api",
    ]);
  });

  test("every manifest passes the Kubernetes schema and has no unknown field, for each Redis mode and option", () => {
    const variants = [
      defaults,
      renderChart(CHART, { redis: { mode: "cluster", clusterNodes: "r0:6379,r1:6379,r2:6379" } }),
      renderChart(CHART, { redis: { mode: "sentinel", sentinels: "s0:26379,s1:26379" } }),
      renderChart(CHART, {
        redis: { urlSecret: { name: "redis-url" } },
        mappings: { "rules.yaml": "x: 1\n" },
        secrets: { existingSecret: "kb-secrets", names: ["ILOQ_PASSWORD"] },
        config: { tenants: [{ id: "entra", kind: "entra", displayName: "Entra ID" }] },
        publicBaseUrl: "https://scim.example.org",
        podAnnotations: { "prometheus.io/scrape": "true" },
        nodeSelector: { "kubernetes.io/os": "linux" },
        tolerations: [{ key: "dedicated", operator: "Equal", value: "iam", effect: "NoSchedule" }],
      }),
    ];
    // One validator process for all variants (each start loads the schemas, ~2 s on this machine).
    expect(validateManifests(variants.flat().map((r) => r.manifest))).toEqual([]);
    // The schemas allow unknown fields; the API server (kubectl --validate=strict) does not.
    const manifests = variants.flat().map((r) => r.manifest);
    const typo = structuredClone(find<Deployment>(defaults, "Deployment", "kb-api"));
    const c = typo.spec.template.spec.containers[0] as unknown as Record<string, unknown>;
    c.readinesProbe = c.readinessProbe;
    delete c.readinessProbe;
    // The typo'd copy, last, shows the check can fail; nothing else may be reported.
    expect(findUnknownFields([...manifests, typo as unknown as Record<string, unknown>])).toEqual([
      expect.stringMatching(new RegExp(`^${manifests.length}: .*'"readinesProbe"' does not exist`)),
    ]);
  }, 120_000); // two child processes (schemas, tsc): ~16 s on the loaded 2-core machine

  test("values.schema.json (what helm checks values against) is generated from the values schema", () => {
    expect(readFileSync(VALUES_SCHEMA_FILE, "utf8")).toBe(chartValuesJsonSchema());
  });

  test("the values schema accepts values.yaml and every override used here, and refuses mistakes", () => {
    const defaultsFile = parse(readFileSync(join(CHART, "values.yaml"), "utf8")) as unknown;
    const check = (override: Record<string, unknown>) =>
      chartValuesSchema.safeParse(mergeValues(defaultsFile, override)).success;
    expect(check({})).toBe(true);
    expect(check({ redis: { mode: "cluster", clusterNodes: "r0:6379,r1:6379" } })).toBe(true);
    expect(check({ api: { minAvailable: "50%", readinessPath: "/readyz" } })).toBe(true);
    expect(
      check({ secrets: { existingSecret: "s", names: ["ILOQ_PASSWORD"] }, mappings: { "r.yaml": "" } }),
    ).toBe(true);
    // A misspelt mode would otherwise render a single-Redis deployment without a word.
    expect(check({ redis: { mode: "clustr" } })).toBe(false);
    expect(check({ redis: { clusterNode: "r0:6379" } })).toBe(false);
    expect(check({ redis: { mode: "cluster", clusterNodes: "r0,r1" } })).toBe(false);
    expect(check({ api: { readinessPath: "/ready" } })).toBe(false);
    expect(check({ secrets: { names: ["ILOQ-PASSWORD"] } })).toBe(false);
    expect(check({ mappings: { "rules.txt": "" } })).toBe(false);
    expect(check({ worker: { replicas: "2" } })).toBe(false);
  });

  test("the schema check itself rejects a broken manifest (it can fail)", () => {
    const api = structuredClone(find<Deployment>(defaults, "Deployment", "kb-api")) as unknown as {
      spec: Record<string, unknown>;
    };
    delete api.spec.selector;
    const failures = validateManifests([
      api,
      { apiVersion: "v1", kind: "Nonsense", metadata: { name: "x" } },
    ]);
    expect(failures.map((f) => f.error)).toEqual([
      expect.stringContaining("must have required property selector"),
      expect.stringContaining("no schema"),
    ]);
  });

  test("the API runs `serve` with liveness /healthz and readiness on a path that exists", () => {
    const api = container(defaults, "kb-api");
    expect(api.args).toEqual(["serve"]);
    expect(api.ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    expect(api.livenessProbe?.httpGet).toEqual({ path: "/healthz", port: "http" });
    expect(api.startupProbe?.httpGet).toEqual({ path: "/healthz", port: "http" });
    // Default /healthz: /readyz fails while a key system is paused, which would empty the Service.
    expect(api.readinessProbe?.httpGet).toEqual({ path: "/healthz", port: "http" });
    const readyz = container(renderChart(CHART, { api: { readinessPath: "/readyz" } }), "kb-api");
    expect(readyz.readinessProbe?.httpGet?.path).toBe("/readyz");
    // A stopping pod keeps serving while it leaves the Service, within its grace period.
    const pod = find<Deployment>(defaults, "Deployment", "kb-api").spec.template.spec;
    expect(api.lifecycle?.preStop?.exec?.command).toEqual(["sleep", "5"]);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(5);
    const env = envOf(api);
    expect(env.PORT?.value).toBe("8080");
    expect(env.KEYBRIDGE_API_PROCESSES?.value).toBe("1");
  });

  test("the probe paths answer 200 on a running `serve`; a paused key system fails only /readyz", async () => {
    const api = container(defaults, "kb-api");
    const paths = [api.livenessProbe, api.startupProbe, api.readinessProbe].map((p) => p?.httpGet?.path);
    const redis = await startTestRedis();
    const config = parseConfig({
      redisUrl: redis.url,
      port: 0,
      host: "127.0.0.1",
      mappingsDir: REPO_MAPPINGS,
    });
    const running = await startProcesses(config, { api: true, workers: false }, { logger: silentLogger() });
    try {
      const status = async (path: string | undefined) =>
        (await fetch(`http://127.0.0.1:${running.port}${path}`)).status;
      for (const path of [...paths, "/readyz"]) expect([path, await status(path)]).toEqual([path, 200]);
      // Why readiness is not /readyz by default: one vendor's systemic error pauses its queue, and
      // /readyz then fails on every API pod, which would take the SCIM edge out of the Service.
      const system = running.core.queues.systems()[0]!;
      await running.core.queues.queue(system).pause();
      expect(await status("/readyz")).toBe(503);
      for (const path of paths) expect([path, await status(path)]).toEqual([path, 200]);
    } finally {
      await running.close();
      await redis.stop();
    }
  });

  test("the worker runs `worker` with no port and no HTTP probe (it has no listener)", () => {
    const worker = container(defaults, "kb-worker");
    expect(worker.args).toEqual(["worker"]);
    expect(worker.ports).toBeUndefined();
    expect([worker.livenessProbe, worker.readinessProbe, worker.startupProbe]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  test("replicas come from values; selectors, the Service and the PDBs pick the right pods", () => {
    const rendered = renderChart(CHART, { api: { replicas: 3 }, worker: { replicas: 5, minAvailable: 2 } });
    const api = find<Deployment>(rendered, "Deployment", "kb-api");
    const worker = find<Deployment>(rendered, "Deployment", "kb-worker");
    expect([api.spec.replicas, worker.spec.replicas]).toEqual([3, 5]);
    for (const d of [api, worker])
      expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
    const service = find<Selecting>(rendered, "Service", "kb-api");
    expect(matches(service.spec.selector, api.spec.template.metadata.labels)).toBe(true);
    expect(matches(service.spec.selector, worker.spec.template.metadata.labels)).toBe(false);
    const apiPdb = find<Selecting>(rendered, "PodDisruptionBudget", "kb-api");
    const workerPdb = find<Selecting>(rendered, "PodDisruptionBudget", "kb-worker");
    expect(matches(apiPdb.spec.selector.matchLabels!, api.spec.template.metadata.labels)).toBe(true);
    expect(matches(apiPdb.spec.selector.matchLabels!, worker.spec.template.metadata.labels)).toBe(false);
    expect(matches(workerPdb.spec.selector.matchLabels!, worker.spec.template.metadata.labels)).toBe(true);
    expect(matches(workerPdb.spec.selector.matchLabels!, api.spec.template.metadata.labels)).toBe(false);
    expect(workerPdb.spec.minAvailable).toBe(2);
    // Defaults leave room to drain a node: minAvailable below replicas for both.
    const d = (name: string) => find<Deployment>(defaults, "Deployment", name).spec.replicas;
    const m = (name: string) => find<Selecting>(defaults, "PodDisruptionBudget", name).spec.minAvailable!;
    expect(m("kb-api")).toBeLessThan(d("kb-api"));
    expect(m("kb-worker")).toBeLessThan(d("kb-worker"));
  });

  test("API and worker pods share env, mounts, volumes and security settings (two copies kept equal)", () => {
    const rendered = renderChart(CHART, {
      mappings: { "rules.yaml": "x: 1\n" },
      secrets: { existingSecret: "kb-secrets", names: ["ILOQ_PASSWORD", "CLIQ_KEY"] },
      publicBaseUrl: "https://scim.example.org",
    });
    const [api, worker] = ["kb-api", "kb-worker"].map((n) => find<Deployment>(rendered, "Deployment", n));
    const [a, w] = [api!, worker!].map((d) => d.spec.template.spec.containers[0]!);
    expect(a!.env!.filter((e) => !API_ONLY_ENV.includes(e.name))).toEqual(w!.env);
    expect(a!.volumeMounts).toEqual(w!.volumeMounts);
    expect(a!.securityContext).toEqual(w!.securityContext);
    expect(api!.spec.template.spec.volumes).toEqual(worker!.spec.template.spec.volumes);
    expect(api!.spec.template.spec.securityContext).toEqual(worker!.spec.template.spec.securityContext);
  });

  test("pods run as a non-root user on a read-only root filesystem, with /tmp writable, and with resources", () => {
    for (const name of ["kb-api", "kb-worker"]) {
      const deployment = find<Deployment>(defaults, "Deployment", name);
      const pod = deployment.spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      const c = pod.containers[0]!;
      expect(c.securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
      });
      // tsx writes its compile cache under os.tmpdir(): /tmp must be a writable volume.
      expect(c.volumeMounts).toContainEqual({ name: "tmp", mountPath: "/tmp" });
      expect(pod.volumes).toContainEqual({ name: "tmp", emptyDir: {} });
      expect(c.resources?.requests).toBeDefined();
      expect(c.resources?.limits).toBeDefined();
    }
  });

  test("Redis: single (URL or URL from a Secret), cluster and sentinel set exactly their env names", () => {
    const redisEnv = (values: Record<string, unknown>) =>
      (container(renderChart(CHART, { redis: values }), "kb-worker").env ?? []).filter((e) =>
        /REDIS/.test(e.name),
      );
    expect(redisEnv({})).toEqual([{ name: "REDIS_URL", value: "redis://redis:6379" }]);
    expect(redisEnv({ urlSecret: { name: "redis-url" } })).toEqual([
      { name: "REDIS_URL", valueFrom: { secretKeyRef: { name: "redis-url", key: "url" } } },
    ]);
    expect(redisEnv({ mode: "cluster", clusterNodes: "r0:6379,r1:6379" })).toEqual([
      { name: "KEYBRIDGE_REDIS_CLUSTER_NODES", value: "r0:6379,r1:6379" },
    ]);
    // A cluster's password and TLS come from redisUrl (create-redis-client.ts): from a Secret, not values.
    expect(
      redisEnv({ mode: "cluster", clusterNodes: "r0:6379,r1:6379", urlSecret: { name: "redis-url" } }),
    ).toEqual([
      { name: "KEYBRIDGE_REDIS_CLUSTER_NODES", value: "r0:6379,r1:6379" },
      { name: "REDIS_URL", valueFrom: { secretKeyRef: { name: "redis-url", key: "url" } } },
    ]);
    expect(redisEnv({ mode: "sentinel", sentinels: "s0:26379,s1:26379", sentinelName: "kb" })).toEqual([
      { name: "KEYBRIDGE_REDIS_SENTINELS", value: "s0:26379,s1:26379" },
      { name: "KEYBRIDGE_REDIS_SENTINEL_NAME", value: "kb" },
    ]);
  });

  describe("what reaches the pod is what keybridge loads", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), "kb-helm-"));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** Writes each volume's files into `dir` and rewrites the container's paths to point there. */
    function materialise(rendered: RenderedManifest[], secretValues: Record<string, string>) {
      const deployment = find<Deployment>(rendered, "Deployment", "kb-api");
      const c = deployment.spec.template.spec.containers[0]!;
      const volumes = new Map((deployment.spec.template.spec.volumes ?? []).map((v) => [v.name, v]));
      const remap: Array<[string, string]> = [];
      for (const mount of c.volumeMounts ?? []) {
        const local = join(dir, mount.name);
        mkdirSync(local);
        remap.push([mount.mountPath, local]);
        const volume = volumes.get(mount.name)!;
        if (volume.configMap) {
          const cm = find<{ data: Record<string, string> }>(rendered, "ConfigMap", volume.configMap.name);
          for (const [file, text] of Object.entries(cm.data)) writeFileSync(join(local, file), text);
        }
        for (const item of volume.secret?.items ?? [])
          writeFileSync(join(local, item.path), `${secretValues[item.key]}\n`);
      }
      const env: Record<string, string> = {};
      for (const e of c.env ?? []) {
        if (e.value === undefined) continue;
        const hit = remap.find(([from]) => e.value!.startsWith(from));
        env[e.name] = hit ? hit[1] + e.value.slice(hit[0].length) : e.value;
      }
      return env;
    }

    test("secrets listed by name arrive as KEYBRIDGE_SECRET_<NAME>_FILE files; no value is in the env", () => {
      const rendered = renderChart(CHART, {
        secrets: { existingSecret: "kb-secrets", names: ["ILOQ_PASSWORD", "METRICS_TOKEN"] },
        config: { metrics: { tokenSecret: "METRICS_TOKEN" } },
      });
      const values = { ILOQ_PASSWORD: "pw-1", METRICS_TOKEN: "tok-2" };
      const env = materialise(rendered, values);
      expect(Object.keys(env).filter((k) => k.startsWith("KEYBRIDGE_SECRET_"))).toEqual([
        "KEYBRIDGE_SECRET_ILOQ_PASSWORD_FILE",
        "KEYBRIDGE_SECRET_METRICS_TOKEN_FILE",
      ]);
      const config = loadConfig(env);
      expect(config.secrets).toEqual(values);
      expect(config.metrics.tokenSecret).toBe("METRICS_TOKEN");
      const volume = find<Deployment>(rendered, "Deployment", "kb-worker").spec.template.spec.volumes!.find(
        (v) => v.name === "secrets",
      );
      expect(volume?.secret?.secretName).toBe("kb-secrets");
      expect(JSON.stringify(rendered.map((r) => r.manifest))).not.toMatch(/pw-1|tok-2/);
    });

    test("the config file and the pod env load as keybridge's config; mapping files load as mappings", () => {
      const mappings = Object.fromEntries(
        readdirSync(REPO_MAPPINGS)
          .filter((f) => f.endsWith(".yaml"))
          .map((f) => [f, readFileSync(join(REPO_MAPPINGS, f), "utf8")]),
      );
      const rendered = renderChart(CHART, {
        config: {
          tenants: [{ id: "entra-prod", kind: "entra", displayName: "Entra ID" }],
          scim: { trustProxy: 1 },
        },
        mappings,
        api: { processes: 2 },
        publicBaseUrl: "https://scim.example.org",
      });
      const env = materialise(rendered, {});
      const config = loadConfig(env);
      expect(config.tenants.map((t) => t.id)).toEqual(["entra-prod"]);
      expect(config.scim.trustProxy).toBe(1);
      expect([config.port, config.apiProcesses, config.redisUrl]).toEqual([8080, 2, "redis://redis:6379"]);
      expect(config.publicBaseUrl).toBe("https://scim.example.org");
      expect(config.mappingsDir).toBe(join(dir, "mappings"));
      // The same mapping set as from the repository's folder (same fingerprint, systems, profiles, rules).
      const summary = (set: ReturnType<typeof loadCheckedMappings>) => ({
        fingerprint: set.fingerprint,
        systems: [...set.keySystems.keys()],
        profiles: [...set.profiles.keys()],
        rules: set.rules.map((r) => r.name),
      });
      const loaded = loadCheckedMappings(config.mappingsDir);
      expect(summary(loaded)).toEqual(summary(loadCheckedMappings(REPO_MAPPINGS)));
      expect(loaded.rules.length).toBeGreaterThan(0);
    });

    test("without mapping values the pods use the image's mappings (no KEYBRIDGE_MAPPINGS, no volume)", () => {
      const env = envOf(container(defaults, "kb-api"));
      expect(env.KEYBRIDGE_MAPPINGS).toBeUndefined();
      expect(defaults.some((r) => (r.manifest.metadata as { name: string }).name === "kb-mappings")).toBe(
        false,
      );
      expect(loadConfig(materialise(defaults, {})).tenants).toEqual(loadConfig({}).tenants);
    });
  });

  test("helm lint and helm template, when helm is installed, agree with the subset renderer", () => {
    const helm = spawnSync("helm", ["version", "--short"], { encoding: "utf8" });
    if (helm.error || helm.status !== 0) {
      // Visible in the test output: the schema check above still ran on the subset renderer's output.
      console.log("helm is not on PATH: helm lint / helm template not run (schema check ran without it)");
      expect(helm.error ?? helm.status).toBeTruthy();
      return;
    }
    const lint = spawnSync("helm", ["lint", CHART], { encoding: "utf8", timeout: 60_000 });
    expect(lint.status).toBe(0);
    const template = spawnSync("helm", ["template", "kb", CHART], { encoding: "utf8", timeout: 60_000 });
    expect(template.status).toBe(0);
    const fromHelm = parseAllDocuments(template.stdout)
      .map((d) => d.toJS() as Record<string, unknown> | null)
      .filter((m): m is Record<string, unknown> => m !== null);
    expect(validateManifests(fromHelm)).toEqual([]);
    const key = (m: Record<string, unknown>) => `${m.kind}/${(m.metadata as { name: string }).name}`;
    const sort = (ms: Array<Record<string, unknown>>) => [...ms].sort((x, y) => key(x).localeCompare(key(y)));
    expect(sort(fromHelm)).toEqual(sort(defaults.map((r) => r.manifest)));
  });
});
