// The Kubernetes manifests (deploy/): every overlay, and every optional component on top of one,
// rendered with `kubectl kustomize` as `kubectl apply -k` would, and every object validated:
//   - built-in kinds against the Kubernetes API's schemas, with the kubernetes-models package
//     (generated from the Kubernetes OpenAPI spec; its validators are ajv, compiled), and strictly,
//     unknown fields included, by type-checking each object against the same package's types;
//   - the CloudNativePG Cluster against its CRD's schema (deploy/schemas, sources noted there) with ajv;
//   - then what the issue asks of them: hardened pods, probes, replicas, default deny and exactly
//     the ingress and egress each part needs, and agent flags the collector's own parser accepts.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020";
import ts from "typescript";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCollectArgs } from "@/lib/collector/options";
import { takeMetricsPort } from "@/lib/metrics/agent";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const DEPLOY = path.join(ROOT, "deploy");

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: Record<string, unknown>; [key: string]: unknown };

/** Built-in kinds: where kubernetes-models has their model (validator) and type. */
const MODELS: Record<string, { module: string; type: string }> = {
  "v1/Namespace": { module: "kubernetes-models/v1/Namespace", type: "INamespace" },
  "v1/ServiceAccount": { module: "kubernetes-models/v1/ServiceAccount", type: "IServiceAccount" },
  "v1/ConfigMap": { module: "kubernetes-models/v1/ConfigMap", type: "IConfigMap" },
  "v1/Secret": { module: "kubernetes-models/v1/Secret", type: "ISecret" },
  "v1/Service": { module: "kubernetes-models/v1/Service", type: "IService" },
  "v1/PersistentVolumeClaim": { module: "kubernetes-models/v1/PersistentVolumeClaim", type: "IPersistentVolumeClaim" },
  "apps/v1/Deployment": { module: "kubernetes-models/apps/v1/Deployment", type: "IDeployment" },
  "batch/v1/Job": { module: "kubernetes-models/batch/v1/Job", type: "IJob" },
  "policy/v1/PodDisruptionBudget": { module: "kubernetes-models/policy/v1/PodDisruptionBudget", type: "IPodDisruptionBudget" },
  "networking.k8s.io/v1/NetworkPolicy": { module: "kubernetes-models/networking.k8s.io/v1/NetworkPolicy", type: "INetworkPolicy" },
};
const CNPG_CLUSTER = "postgresql.cnpg.io/v1/Cluster";

function kubectl(): { ok: true } | { ok: false; why: string } {
  const version = spawnSync("kubectl", ["version", "--client"], { encoding: "utf8" });
  if (version.error || version.status !== 0) return { ok: false, why: "kubectl is not installed (apt-get install kubectl, or Debian's kubernetes-client; .ci/run installs it)" };
  const kustomize = /Kustomize Version: v(\d+)/.exec(version.stdout);
  if (!kustomize || Number(kustomize[1]) < 4) return { ok: false, why: `kubectl's kustomize is too old for components (need v4+): ${version.stdout.trim()}` };
  return { ok: true };
}

function render(dir: string): K8sObject[] {
  const out = execFileSync("kubectl", ["kustomize", dir], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  const objects = parseAllDocuments(out).map((d) => d.toJSON() as K8sObject).filter(Boolean);
  // kubectl prints long base64 values over several lines, which YAML folds with spaces (`kubectl
  // apply -k` never goes through that text): the value is the base64 without them.
  for (const o of objects) {
    if (o.kind === "Secret" && o.data) o.data = Object.fromEntries(Object.entries(o.data as Record<string, string>).map(([k, v]) => [k, v.replace(/\s+/g, "")]));
  }
  return objects;
}

const key = (o: K8sObject) => `${o.apiVersion}/${o.kind}`;

const renders = new Map<string, K8sObject[]>();
const scratch: string[] = [];

beforeAll(async () => {
  const tool = kubectl();
  if (!tool.ok) throw new Error(tool.why);
  for (const overlay of await readdir(path.join(DEPLOY, "overlays"))) renders.set(`overlays/${overlay}`, render(path.join(DEPLOY, "overlays", overlay)));
  // Each optional component, on top of the hubble-relay overlay (the agent component is in every overlay).
  for (const component of await readdir(path.join(DEPLOY, "components"))) {
    if (component === "agent") continue;
    const dir = await mkdtemp(path.join(os.tmpdir(), "dropboard-kustomize-"));
    scratch.push(dir);
    const rel = (p: string) => path.relative(dir, p);
    await writeFile(
      path.join(dir, "kustomization.yaml"),
      `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: dropboard\nresources:\n  - ${rel(path.join(DEPLOY, "overlays", "hubble-relay"))}\ncomponents:\n  - ${rel(path.join(DEPLOY, "components", component))}\n`,
    );
    renders.set(`overlays/hubble-relay + components/${component}`, render(dir));
  }
}, 120_000);

afterAll(async () => {
  await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Type-checks every object as a literal of its kubernetes-models type: unknown fields and wrong types fail. */
function strictTypeErrors(objects: { name: string; object: K8sObject }[]): string[] {
  const cacheDir = path.join(ROOT, "node_modules", ".cache", "dropboard-manifest-types");
  const file = path.join(cacheDir, `check-${process.pid}.ts`);
  const imports = new Set<string>();
  const lines: string[] = [];
  objects.forEach(({ name, object }, i) => {
    const model = MODELS[key(object)];
    if (!model) return;
    imports.add(`import type { ${model.type} } from "${model.module}";`);
    lines.push(`// ${name}\nexport const o${i}: ${model.type} = ${JSON.stringify(object, null, 1)};`);
  });
  const source = [...imports, ...lines].join("\n");
  ts.sys.createDirectory(cacheDir);
  ts.sys.writeFile(file, source);
  try {
    const program = ts.createProgram([file], { strict: true, noEmit: true, skipLibCheck: true, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, target: ts.ScriptTarget.ES2022, types: [] });
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : null;
      const around = where ? source.split("\n").slice(Math.max(0, where.line - 2), where.line + 1).join(" | ") : "";
      return `${ts.flattenDiagnosticMessageText(d.messageText, "\n")} (${around.slice(0, 300)})`;
    });
  } finally {
    ts.sys.deleteFile?.(file);
  }
}

const ajv = new Ajv2020({ strict: false, allErrors: true });

type Container = { name: string; image: string; args?: string[]; ports?: { containerPort: number; name?: string }[]; securityContext?: Record<string, unknown>; resources?: { requests?: Record<string, string>; limits?: Record<string, string> }; livenessProbe?: { httpGet?: { path: string } }; readinessProbe?: { httpGet?: { path: string } }; env?: { name: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[]; volumeMounts?: { name: string; mountPath: string }[] };
type PodSpec = { securityContext?: Record<string, unknown>; containers: Container[]; volumes?: { name: string; secret?: { secretName: string }; configMap?: { name: string }; persistentVolumeClaim?: { claimName: string } }[]; automountServiceAccountToken?: boolean };
type Policy = K8sObject & { spec: { podSelector: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values: string[] }[] }; policyTypes: string[]; ingress?: Rule[]; egress?: Rule[] } };
type Rule = { from?: Peer[]; to?: Peer[]; ports?: { port: number; protocol: string }[] };
type Peer = { podSelector?: { matchLabels?: Record<string, string> }; namespaceSelector?: { matchLabels?: Record<string, string> }; ipBlock?: { cidr: string; except?: string[] } };

const podSpec = (o: K8sObject) => (o.spec as { template: { spec: PodSpec; metadata: { labels: Record<string, string> } } }).template;

/** Does a NetworkPolicy's podSelector select pods with these labels (matchLabels and In expressions)? */
function selects(selector: Policy["spec"]["podSelector"], labels: Record<string, string>): boolean {
  const matchLabels = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
  const expressions = (selector.matchExpressions ?? []).every((e) => e.operator === "In" && e.values.includes(labels[e.key] ?? ""));
  return matchLabels && expressions;
}

/** The egress ports the policies allow the pods with these labels, as "TCP/5432" (with whether the rule names peers). */
function egressFor(policies: Policy[], labels: Record<string, string>): { port: string; rule: Rule }[] {
  return policies
    .filter((p) => p.spec.policyTypes.includes("Egress") && selects(p.spec.podSelector, labels))
    .flatMap((p) => (p.spec.egress ?? []).flatMap((rule) => (rule.ports ?? []).map((port) => ({ port: `${port.protocol}/${port.port}`, rule }))));
}

function ingressFor(policies: Policy[], labels: Record<string, string>): { port: string; rule: Rule }[] {
  return policies
    .filter((p) => p.spec.policyTypes.includes("Ingress") && selects(p.spec.podSelector, labels))
    .flatMap((p) => (p.spec.ingress ?? []).flatMap((rule) => (rule.ports ?? []).map((port) => ({ port: `${port.protocol}/${port.port}`, rule }))));
}

describe("deploy/ renders with kubectl kustomize", () => {
  it("into every overlay and component combination", () => {
    expect([...renders.keys()]).toEqual(
      expect.arrayContaining(["overlays/hubble-relay", "overlays/goldmane", "overlays/hubble-relay + components/cloudnative-pg", "overlays/hubble-relay + components/hubble-relay-tls"]),
    );
    for (const [name, objects] of renders) expect(objects.length, name).toBeGreaterThan(10);
  });

  it("whose objects validate against the Kubernetes API's schemas (kubernetes-models) and the CNPG Cluster CRD", async () => {
    const schema = JSON.parse(await readFile(path.join(DEPLOY, "schemas", "cnpg-cluster-v1.schema.json"), "utf8"));
    const validateCluster = ajv.compile(schema);
    const { ResourceRequirements } = await import("kubernetes-models/v1/ResourceRequirements");
    for (const [name, objects] of renders) {
      for (const object of objects) {
        const where = `${name}: ${object.kind} ${object.metadata.name}`;
        if (key(object) === CNPG_CLUSTER) {
          expect(validateCluster(object) ? [] : validateCluster.errors, where).toEqual([]);
          const resources = (object.spec as { resources?: object }).resources;
          if (resources) expect(() => new ResourceRequirements(resources).validate(), `${where} spec.resources`).not.toThrow();
          continue;
        }
        const model = MODELS[key(object)];
        expect(model, `${where}: a kind this test knows`).toBeDefined();
        const exports = (await import(model?.module as string)) as Record<string, new (data: unknown) => { validate(): void }>;
        const Model = exports[object.kind] as new (data: unknown) => { validate(): void };
        expect(() => new Model(object).validate(), where).not.toThrow();
      }
    }
  });

  it("strictly: no unknown field in any built-in object (type-checked against the same models' types)", () => {
    const all = [...renders].flatMap(([name, objects]) => objects.map((object) => ({ name: `${name}: ${object.kind} ${object.metadata.name}`, object })));
    expect(strictTypeErrors(all)).toEqual([]);
    // The check has teeth: a misspelt field fails it.
    const deployment = renders.get("overlays/hubble-relay")?.find((o) => o.kind === "Deployment") as K8sObject;
    const typo = structuredClone(deployment);
    const container = podSpec(typo).spec.containers[0] as Container & { readinesProbe?: unknown };
    container.readinesProbe = container.readinessProbe;
    expect(strictTypeErrors([{ name: "typo", object: typo }]).join("\n")).toMatch(/readinesProbe/);
  }, 120_000);
});

describe("what the manifests promise", () => {
  const each = (test: (name: string, objects: K8sObject[]) => void) => () => {
    for (const [name, objects] of renders) test(name, objects);
  };

  it(
    "every pod is hardened: non-root, read-only root file system, no capabilities, no privilege escalation, RuntimeDefault seccomp, memory limits, no API token",
    each((name, objects) => {
      for (const o of objects.filter((x) => x.kind === "Deployment" || x.kind === "Job")) {
        const pod = podSpec(o).spec;
        const where = `${name}: ${o.kind} ${o.metadata.name}`;
        expect(pod.securityContext, where).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
        expect(pod.automountServiceAccountToken, where).toBe(false);
        for (const c of pod.containers) {
          expect(c.securityContext, `${where} ${c.name}`).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } });
          expect(c.resources?.requests?.memory && c.resources.limits?.memory, `${where} ${c.name} memory`).toBeTruthy();
          expect(c.resources?.requests?.cpu, `${where} ${c.name} cpu`).toBeTruthy();
          expect(c.image, where).toMatch(/^dropboard:\S+$/);
          expect(["server", "migrate", "collect"], where).toContain(c.args?.[0]);
        }
      }
    }),
  );

  it(
    "the server: at least 2 replicas, liveness on /api/v1/health, readiness on /api/v1/health/ready, behind a Service",
    each((name, objects) => {
      const server = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "dropboard") as K8sObject;
      expect((server.spec as { replicas: number }).replicas, name).toBeGreaterThanOrEqual(2);
      const container = podSpec(server).spec.containers[0] as Container;
      expect(container.livenessProbe?.httpGet?.path).toBe("/api/v1/health");
      expect(container.readinessProbe?.httpGet?.path).toBe("/api/v1/health/ready");
      expect(objects.some((o) => o.kind === "Service" && o.metadata.name === "dropboard")).toBe(true);
      expect(objects.some((o) => o.kind === "Job" && o.metadata.name === "dropboard-migrate")).toBe(true);
      expect(objects.every((o) => o.kind === "Namespace" || o.metadata.namespace === "dropboard"), name).toBe(true);
    }),
  );

  it(
    "Dropboard's own default deny, then exactly what each part needs",
    each((name, objects) => {
      const policies = objects.filter((o) => o.kind === "NetworkPolicy") as Policy[];
      const deny = policies.find((p) => p.metadata.name === "default-deny");
      expect(deny?.spec, name).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
      const server = { "app.kubernetes.io/name": "dropboard", "app.kubernetes.io/component": "server" };
      const agent = { "app.kubernetes.io/name": "dropboard", "app.kubernetes.io/component": "agent" };
      const migrate = { "app.kubernetes.io/name": "dropboard", "app.kubernetes.io/component": "migrate" };
      const ports = (entries: { port: string }[]) => [...new Set(entries.map((e) => e.port))].sort();
      // In: only the server's port and the agent's metrics port; nothing for the migration Job.
      expect(ports(ingressFor(policies, server)), name).toEqual(["TCP/3000"]);
      expect(ports(ingressFor(policies, agent)), name).toEqual(["TCP/9464"]);
      expect(ingressFor(policies, migrate), name).toEqual([]);
      const serverIn = ingressFor(policies, server).flatMap((e) => e.rule.from ?? []);
      expect(serverIn.map((p) => p.podSelector?.matchLabels?.["app.kubernetes.io/component"] ?? p.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"]).sort()).toEqual(["agent", "ingress-nginx", "monitoring"]);
      // Out: DNS for all; PostgreSQL for the server and the Job; webhooks (public addresses only) for the server.
      expect(ports(egressFor(policies, server)), name).toEqual(["TCP/443", "TCP/53", "TCP/5432", "TCP/80", "UDP/53"]);
      expect(ports(egressFor(policies, migrate)), name).toEqual(["TCP/53", "TCP/5432", "UDP/53"]);
      const webhooks = egressFor(policies, server).find((e) => e.port === "TCP/443")?.rule.to ?? [];
      expect(webhooks.map((p) => p.ipBlock?.cidr)).toEqual(["0.0.0.0/0", "::/0"]);
      expect(webhooks[0]?.ipBlock?.except).toEqual(expect.arrayContaining(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"]));
      // The agent: DNS, the server, and its source only.
      const source = name.includes("goldmane") ? "TCP/7443" : "TCP/4245";
      expect(ports(egressFor(policies, agent)), name).toEqual(["TCP/3000", source, "TCP/53", "UDP/53"].sort());
      const toServer = egressFor(policies, agent).find((e) => e.port === "TCP/3000")?.rule.to?.[0]?.podSelector?.matchLabels;
      expect(toServer).toEqual(server);
      // The ports the policies name are the ones the containers listen on.
      const server_ = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "dropboard") as K8sObject;
      const agent_ = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "dropboard-agent") as K8sObject;
      expect(podSpec(server_).spec.containers[0]?.ports?.map((p) => p.containerPort)).toEqual([3000]);
      expect(podSpec(agent_).spec.containers[0]?.ports?.map((p) => p.containerPort)).toEqual([9464]);
      expect(podSpec(server_).metadata.labels).toMatchObject(server);
      expect(podSpec(agent_).metadata.labels).toMatchObject(agent);
    }),
  );

  it("with CloudNativePG: the database from the operator's secret, PostgreSQL egress narrowed to its pods, its pods under their own policies", () => {
    const objects = renders.get("overlays/hubble-relay + components/cloudnative-pg") as K8sObject[];
    const cluster = objects.find((o) => o.kind === "Cluster") as K8sObject;
    expect(cluster.metadata).toMatchObject({ name: "dropboard-db", namespace: "dropboard" });
    for (const name of ["dropboard", "dropboard-migrate"]) {
      const workload = objects.find((o) => o.metadata.name === name && (o.kind === "Deployment" || o.kind === "Job")) as K8sObject;
      const env = podSpec(workload).spec.containers[0]?.env?.find((e) => e.name === "DATABASE_URL");
      expect(env?.valueFrom?.secretKeyRef).toEqual({ name: "dropboard-db-app", key: "uri" });
    }
    expect(objects.some((o) => o.kind === "Secret" && o.metadata.name.startsWith("dropboard-database"))).toBe(false);
    const policies = objects.filter((o) => o.kind === "NetworkPolicy") as Policy[];
    const postgres = policies.find((p) => p.metadata.name === "dropboard-egress-postgresql");
    expect(postgres?.spec.egress?.[0]?.to).toEqual([{ podSelector: { matchLabels: { "cnpg.io/cluster": "dropboard-db" } } }]);
    const db = { "cnpg.io/cluster": "dropboard-db", "cnpg.io/podRole": "instance" };
    expect([...new Set(ingressFor(policies, db).map((e) => e.port))].sort()).toEqual(["TCP/5432", "TCP/8000"]);
    expect([...new Set(egressFor(policies, db).map((e) => e.port))].sort()).toEqual(["TCP/443", "TCP/53", "TCP/5432", "TCP/6443", "TCP/8000", "UDP/53"]);
  });

  it("every Secret and ConfigMap a pod uses is rendered, or is one the README says to create (or the operator makes)", () => {
    const external = new Set(["dropboard-db-app", "dropboard-goldmane-client", "tigera-ca-bundle", "dropboard-hubble-relay-tls"]);
    for (const [name, objects] of renders) {
      const rendered = new Set(objects.filter((o) => o.kind === "Secret" || o.kind === "ConfigMap" || o.kind === "PersistentVolumeClaim").map((o) => o.metadata.name));
      for (const o of objects.filter((x) => x.kind === "Deployment" || x.kind === "Job")) {
        const pod = podSpec(o).spec;
        const refs = [
          ...pod.containers.flatMap((c) => (c.env ?? []).map((e) => e.valueFrom?.secretKeyRef?.name)),
          ...pod.containers.flatMap((c) => ((c as { envFrom?: { configMapRef?: { name: string } }[] }).envFrom ?? []).map((e) => e.configMapRef?.name)),
          ...(pod.volumes ?? []).map((v) => v.secret?.secretName ?? v.configMap?.name ?? v.persistentVolumeClaim?.claimName),
        ].filter((r): r is string => typeof r === "string");
        for (const ref of refs) expect(rendered.has(ref) || external.has(ref), `${name}: ${o.metadata.name} uses ${ref}`).toBe(true);
      }
    }
  });

  it("the agent's flags are ones `dropboard collect` accepts (its own parser), for every overlay", async () => {
    const files = await mkdtemp(path.join(os.tmpdir(), "dropboard-agent-flags-"));
    scratch.push(files);
    for (const [name, objects] of renders) {
      const agent = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "dropboard-agent") as K8sObject;
      const container = podSpec(agent).spec.containers[0] as Container;
      const [command, ...args] = container.args ?? [];
      expect(command).toBe("collect");
      // Certificate files are mounted from Secrets: stand them in with empty files at the same names.
      const mounted = await Promise.all(
        args.map(async (arg) => {
          if (!arg.startsWith("/etc/dropboard/")) return arg;
          const file = path.join(files, arg);
          await mkdir(path.dirname(file), { recursive: true });
          await writeFile(file, "");
          return file;
        }),
      );
      const { port, rest } = takeMetricsPort(mounted);
      expect(port, name).toBe(9464);
      const options = parseCollectArgs(rest, { DROPBOARD_TOKEN: "t" });
      expect(options.ingestUrl.href, name).toBe("http://dropboard:3000/api/v1/ingest");
      expect(options.native?.kind, name).toBe(name.includes("goldmane") ? "goldmane" : "hubble-relay");
      if (name.includes("hubble-relay-tls") || name.includes("goldmane")) expect(options.native?.tls?.cert, name).toBeTruthy();
      expect(options.spoolDir).toBe("/var/lib/dropboard/spool");
      expect(container.volumeMounts?.some((m) => m.mountPath === "/var/lib/dropboard")).toBe(true);
    }
  });
});
