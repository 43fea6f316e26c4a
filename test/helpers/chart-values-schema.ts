// The Helm chart's values, as a zod schema: the source of deploy/helm/keybridge/values.schema.json, which
// helm checks values against on install, upgrade, lint and template (a misspelt Redis mode would
// otherwise fall back to a single Redis without a word). Regenerate the JSON after a change with
// `npx tsx test/helpers/chart-values-schema.ts`; test/deploy/helm-chart.test.ts keeps the two equal.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

const count = z.number().int().min(0);
const hostPorts = z
  .string()
  .regex(/^$|^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/)
  .describe("host:port,host:port");
const kubernetesObject = z.record(z.string(), z.unknown());
const labels = z.record(z.string(), z.string());
/** PodDisruptionBudget minAvailable: a pod count or a percentage. */
const minAvailable = z.union([count, z.string().regex(/^\d+%$/)]);

// Not strict at the top level: helm may add keys of its own (`global`) to a chart's values.
export const chartValuesSchema = z.looseObject({
  image: z
    .object({
      repository: z.string().min(1),
      tag: z.string().min(1),
      pullPolicy: z.enum(["Always", "IfNotPresent", "Never"]),
    })
    .strict(),
  api: z
    .object({
      replicas: count,
      processes: z.number().int().min(1).describe("KEYBRIDGE_API_PROCESSES per pod"),
      port: z.number().int().min(1).max(65535),
      readinessPath: z.enum(["/healthz", "/readyz"]),
      resources: kubernetesObject,
      minAvailable,
      preStopSleepSeconds: count,
      terminationGracePeriodSeconds: count,
    })
    .strict(),
  worker: z
    .object({
      replicas: count,
      resources: kubernetesObject,
      minAvailable,
      terminationGracePeriodSeconds: count,
    })
    .strict(),
  service: z
    .object({
      type: z.enum(["ClusterIP", "NodePort", "LoadBalancer"]),
      port: z.number().int().min(1).max(65535),
    })
    .strict(),
  redis: z
    .object({
      mode: z.enum(["single", "cluster", "sentinel"]),
      url: z.string(),
      urlSecret: z.object({ name: z.string(), key: z.string().min(1) }).strict(),
      clusterNodes: hostPorts,
      sentinels: hostPorts,
      sentinelName: z.string(),
    })
    .strict(),
  publicBaseUrl: z.string(),
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  config: kubernetesObject.describe("the keybridge config file; no secrets"),
  mappings: z.record(z.string().regex(/\.ya?ml$/), z.string()).describe("mapping file name → YAML text"),
  secrets: z
    .object({ existingSecret: z.string(), names: z.array(z.string().regex(/^[A-Za-z0-9_]+$/)) })
    .strict(),
  podSecurityContext: kubernetesObject,
  securityContext: kubernetesObject,
  podAnnotations: labels,
  nodeSelector: labels,
  tolerations: z.array(kubernetesObject),
  affinity: kubernetesObject,
});

export function chartValuesJsonSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(chartValuesSchema, { target: "draft-7" }), null, 2)}\n`;
}

export const VALUES_SCHEMA_FILE = join(
  __dirname,
  "..",
  "..",
  "deploy",
  "helm",
  "keybridge",
  "values.schema.json",
);

if (require.main === module) writeFileSync(VALUES_SCHEMA_FILE, chartValuesJsonSchema());
