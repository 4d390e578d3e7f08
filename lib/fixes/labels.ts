// Pod labels from the labels drop records carry: Hubble's `k8s:app=echo-server` (Cilium's
// `source:key=value` form) and Calico's `app=checkoutservice`. A selector keeps only what every
// pod of the workload carries: labels the CNI derives (the namespace, service account, cluster,
// namespace labels) are not on the Pod object, and per-pod ones (`pod-template-hash`, ...) would
// select one pod generation only.

export interface ParsedLabel {
  /** Cilium's label source (`k8s`, `reserved`, `container`, `cidr`, ...); null where the record has none (Calico). */
  source: string | null;
  key: string;
  value: string;
}

/** "k8s:app=x" -> {k8s, app, x}; "app=x" -> {null, app, x}; "reserved:world" -> {reserved, world, ""}. */
export function parseLabel(text: string): ParsedLabel | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const equals = trimmed.indexOf("=");
  const colon = trimmed.indexOf(":");
  // Label keys cannot hold ':', so a ':' before the '=' (or in a bare key) ends the source.
  const hasSource = colon > 0 && (equals === -1 || colon < equals);
  const source = hasSource ? trimmed.slice(0, colon) : null;
  const rest = hasSource ? trimmed.slice(colon + 1) : trimmed;
  const eq = rest.indexOf("=");
  const key = eq === -1 ? rest : rest.slice(0, eq);
  if (key === "") return null;
  return { source, key, value: eq === -1 ? "" : rest.slice(eq + 1) };
}

/** Labels that differ from pod to pod of one workload (or one run of a CronJob's Job). */
const PER_POD_KEYS = new Set([
  "pod-template-hash",
  "controller-revision-hash",
  "pod-template-generation",
  "statefulset.kubernetes.io/pod-name",
  "apps.kubernetes.io/pod-index",
  "controller-uid",
  "batch.kubernetes.io/controller-uid",
  "job-name",
  "batch.kubernetes.io/job-name",
  "batch.kubernetes.io/job-completion-index",
]);

/** Labels a CNI derives for its own selectors: they are not on the Pod object. */
const DERIVED_PREFIXES = ["io.cilium.", "io.kubernetes.pod.", "projectcalico.org/", "pcns.", "pcsa."];

/** Cilium sources whose labels are the pod's own (`any` is Cilium's wildcard source). */
const POD_SOURCES = new Set(["k8s", "any"]);

export function isPerPodLabel(key: string): boolean {
  return PER_POD_KEYS.has(key);
}

export function isDerivedLabel(key: string): boolean {
  return DERIVED_PREFIXES.some((prefix) => key.startsWith(prefix));
}

// Kubernetes label syntax (apimachinery validation.IsQualifiedName / IsValidLabelValue).
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function isValidLabelKey(key: string): boolean {
  const slash = key.lastIndexOf("/");
  const name = slash === -1 ? key : key.slice(slash + 1);
  const prefix = slash === -1 ? null : key.slice(0, slash);
  if (name.length === 0 || name.length > 63 || !NAME.test(name)) return false;
  return prefix === null || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
}

export function isValidLabelValue(value: string): boolean {
  return value === "" || (value.length <= 63 && NAME.test(value));
}

export interface PodLabels {
  /** The pod labels common to every example that carries labels; empty when none is known. */
  labels: Record<string, string>;
  /** How many examples carried labels for this side. */
  labelledExamples: number;
  /** Pod labels that are not valid Kubernetes labels (left out, and said so). */
  invalid: string[];
  /** Cilium `reserved:` labels seen (`world`, `host`, `remote-node`, ...). */
  reserved: string[];
}

/** The labels one record carries for one endpoint, as a map of pod labels (derived and per-pod ones left out). */
function podLabelsOf(raw: readonly string[], invalid: Set<string>, reserved: Set<string>): Map<string, string> {
  const labels = new Map<string, string>();
  for (const text of raw) {
    const label = parseLabel(text);
    if (!label) continue;
    if (label.source === "reserved") {
      reserved.add(label.key);
      continue;
    }
    if (label.source !== null && !POD_SOURCES.has(label.source)) continue;
    if (isPerPodLabel(label.key) || isDerivedLabel(label.key)) continue;
    if (!isValidLabelKey(label.key) || !isValidLabelValue(label.value)) {
      invalid.add(text);
      continue;
    }
    labels.set(label.key, label.value);
  }
  return labels;
}

/**
 * The pod labels of one endpoint across example events: the intersection over the examples that
 * carry any label at all (an example without labels says nothing, it does not say "no labels").
 */
export function commonPodLabels(labelLists: readonly (readonly string[])[]): PodLabels {
  const invalid = new Set<string>();
  const reserved = new Set<string>();
  let common: Map<string, string> | null = null;
  let labelledExamples = 0;
  for (const raw of labelLists) {
    if (raw.length === 0) continue;
    const labels = podLabelsOf(raw, invalid, reserved);
    // Records whose only labels are reserved or derived still count as labelled: they said what they know.
    labelledExamples++;
    if (common === null) {
      common = labels;
      continue;
    }
    for (const [key, value] of common) if (labels.get(key) !== value) common.delete(key);
  }
  const sorted = [...(common ?? new Map<string, string>()).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { labels: Object.fromEntries(sorted), labelledExamples, invalid: [...invalid].sort(), reserved: [...reserved].sort() };
}

/** Labels that name a workload; a selector with none of them may select other workloads' pods too. */
const IDENTIFYING_KEYS = ["app", "app.kubernetes.io/name", "app.kubernetes.io/instance", "k8s-app", "name", "component", "app.kubernetes.io/component", "run"];

export function hasIdentifyingLabel(labels: Record<string, string>): boolean {
  return IDENTIFYING_KEYS.some((key) => key in labels);
}
