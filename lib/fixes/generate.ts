// From drop paths (one, or a rollout's surprises) to the allow rules that let exactly that traffic
// through, in one format: Kubernetes NetworkPolicy always; the CNI's own language where the drops
// came from that CNI. Pure: the queries in lib/queries/fixes read the paths and their examples.
import type { DropSource } from "../ingest/types";
import { antreaPolicy } from "./antrea";
import { calicoPolicy } from "./calico";
import { ciliumPolicy } from "./cilium";
import { describeFlow } from "./endpoints";
import { kubernetesPolicy } from "./kubernetes";
import type { FormatResult } from "./objects";
import { planPath, type AllowRule } from "./plan";
import { FIX_FORMATS, type FixFormat, type FixOptions, type FixWarning, type KubeObject, type PathInput } from "./types";

export interface FormatInfo {
  format: FixFormat;
  apiVersion: string;
  kind: string;
  /** The drop sources whose CNI enforces this format; null: every CNI (Kubernetes NetworkPolicy). */
  source: DropSource | null;
  note: string;
}

export const FORMAT_INFO: Record<FixFormat, FormatInfo> = {
  kubernetes: { format: "kubernetes", apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", source: null, note: "Kubernetes NetworkPolicy: every CNI enforces it" },
  cilium: { format: "cilium", apiVersion: "cilium.io/v2", kind: "CiliumNetworkPolicy", source: "hubble", note: "for drops Hubble reported (Cilium)" },
  calico: {
    format: "calico",
    apiVersion: "projectcalico.org/v3",
    kind: "NetworkPolicy",
    source: "calico",
    note: "for drops Calico reported; staged=true writes a StagedNetworkPolicy to watch in flow logs before enforcing it; applying projectcalico.org/v3 needs the Calico API server (or calicoctl)",
  },
  antrea: { format: "antrea", apiVersion: "crd.antrea.io/v1beta1", kind: "NetworkPolicy", source: "antrea", note: "for drops Antrea reported (Antrea-native policy, tier application)" },
};

/** The drop sources of a path: those of its example events. */
export function sourcesOf(path: PathInput): DropSource[] {
  return [...new Set(path.examples.map((e) => e.source))].sort();
}

export function formatAvailable(format: FixFormat, sources: readonly DropSource[]): boolean {
  const source = FORMAT_INFO[format].source;
  return source === null || sources.includes(source);
}

/** The formats some of these paths can be written in: Kubernetes always, each CNI's for its drops. */
export function formatsFor(paths: readonly PathInput[]): FixFormat[] {
  const sources = new Set(paths.flatMap(sourcesOf));
  return FIX_FORMATS.filter((f) => formatAvailable(f, [...sources]));
}

/** The dropping CNI's own format when every path's drops came from one CNI that has one; else Kubernetes. */
export function recommendedFormat(paths: readonly PathInput[]): FixFormat {
  const sources = new Set(paths.flatMap(sourcesOf));
  if (sources.size !== 1) return "kubernetes";
  const [source] = [...sources];
  return FIX_FORMATS.find((f) => FORMAT_INFO[f].source === source) ?? "kubernetes";
}

export interface PathFix {
  cluster: string;
  id: string;
  flow: string;
  direction: string;
  sources: DropSource[];
  /** generated: every rule the path needs is written; partial: some; none: no rule could be written. */
  status: "generated" | "partial" | "none";
  /** The objects written for it, as "Kind namespace/name". */
  objects: string[];
  warnings: FixWarning[];
}

export interface FixBundle {
  format: FixFormat;
  objects: KubeObject[];
  paths: PathFix[];
  /** Every warning once (each also under its path). */
  warnings: FixWarning[];
  /** The clusters the objects are for: apply each cluster's objects to that cluster. */
  clusters: string[];
}

function writeRule(rule: AllowRule, options: FixOptions): FormatResult {
  switch (options.format) {
    case "kubernetes":
      return kubernetesPolicy(rule);
    case "cilium":
      return ciliumPolicy(rule);
    case "calico":
      return calicoPolicy(rule, { staged: options.staged, tier: options.tier });
    case "antrea":
      return antreaPolicy(rule, { tier: options.tier, priority: options.priority });
  }
}

export const objectRef = (object: KubeObject) => `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`;

function fixPath(path: PathInput, options: FixOptions): { fix: PathFix; objects: KubeObject[] } {
  const sources = sourcesOf(path);
  const base = { cluster: path.cluster, id: path.id, flow: describeFlow(path), direction: path.direction, sources };
  if (!formatAvailable(options.format, sources)) {
    const from = sources.length > 0 ? `came from ${sources.join(", ")}` : "have no example events to say which CNI dropped them";
    const warning: FixWarning = {
      code: "format_unavailable",
      message: `${FORMAT_INFO[options.format].kind} (${options.format}) is for drops ${FORMAT_INFO[options.format].source ?? "any CNI"} reported; these drops ${from}: use format=kubernetes`,
      cluster: path.cluster,
      pathId: path.id,
    };
    return { fix: { ...base, status: "none", objects: [], warnings: [warning] }, objects: [] };
  }
  const plan = planPath(path, options.scope);
  const warnings = [...plan.warnings];
  const objects: KubeObject[] = [];
  for (const rule of plan.rules) {
    const result = writeRule(rule, options);
    for (const { code, message } of result.warnings) {
      if (!warnings.some((w) => w.message === message)) warnings.push({ code, message, cluster: path.cluster, pathId: path.id });
    }
    if (result.object) objects.push(result.object);
  }
  const needed = path.direction === "UNKNOWN" ? 2 : 1;
  const status = objects.length === 0 ? "none" : objects.length < needed ? "partial" : "generated";
  return { fix: { ...base, status, objects: objects.map(objectRef), warnings }, objects };
}

/** The allow rules for these drop paths in one format, with every warning. */
export function generateFixes(paths: readonly PathInput[], options: FixOptions): FixBundle {
  const fixes = paths.map((path) => fixPath(path, options));
  const objects = fixes.flatMap((f) => f.objects);
  const warnings: FixWarning[] = [];
  for (const warning of fixes.flatMap((f) => f.fix.warnings)) {
    if (!warnings.some((w) => w.message === warning.message && w.pathId === warning.pathId && w.cluster === warning.cluster)) warnings.push(warning);
  }
  const clusters = [...new Set(fixes.filter((f) => f.objects.length > 0).map((f) => f.fix.cluster))].sort();
  if (clusters.length > 1) {
    warnings.push({ code: "many_clusters", message: `these objects are for ${clusters.length} clusters (${clusters.join(", ")}): apply each cluster's objects to that cluster, or pass cluster=<name>` });
  }
  return { format: options.format, objects, paths: fixes.map((f) => f.fix), warnings, clusters };
}
