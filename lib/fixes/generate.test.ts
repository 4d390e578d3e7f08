// Allow rules from real records of every source (lib/ingest/formats/fixtures), in every format the
// source offers: each object validates against the vendored official schema, lets through the very
// flows it was made from (the evaluator), and matches its golden file (lib/fixes/golden/*.yaml;
// UPDATE_GOLDEN=1 rewrites them, to be read in review).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { allows } from "./evaluate";
import { pathFromEvents } from "./fromEvents";
import { formatsFor, generateFixes, recommendedFormat, type FixBundle } from "./generate";
import { renderYaml } from "./render";
import { schemaErrors } from "./schemas/validate";
import { directionOf, fixtureEvents, flowOf } from "./testing";
import type { FixFormat, FixOptions, FixScope, KubeObject, PathInput } from "./types";

const GOLDEN = path.join(import.meta.dirname, "golden");

const CASES = [
  { name: "hubble-exporter-dropped", source: "hubble", file: "exporter-dropped.jsonl" },
  { name: "hubble-observe-captured", source: "hubble", file: "observe-jsonpb-captured.jsonl" },
  { name: "hubble-observe-bare", source: "hubble", file: "observe-json-bare.json" },
  { name: "hubble-policy-verdict-default-deny", source: "hubble", file: "policy-verdict-default-deny.json" },
  { name: "hubble-policy-verdict-denied-by", source: "hubble", file: "policy-verdict-denied-by.jsonl" },
  { name: "calico-flows-deny", source: "calico", file: "flows-deny.jsonl" },
  { name: "goldmane-whisker", source: "goldmane", file: "whisker-flows.jsonl" },
  { name: "antrea-np-log", source: "antrea", file: "np.log" },
] as const;

/** Every fixture record as its own drop path, named for its file (and line, where a file has several). */
function fixturePaths(): { name: string; path: PathInput }[] {
  return CASES.flatMap(({ name, source, file }) => {
    const events = fixtureEvents(source, file);
    return events.map((event, i) => ({ name: events.length > 1 ? `${name}-${i + 1}` : name, path: pathFromEvents([event]) }));
  });
}

const options = (format: FixFormat, scope: FixScope[] = [], extra: Partial<FixOptions> = {}): FixOptions => ({ format, scope, staged: false, tier: null, priority: 5, ...extra });

function checkBundle(bundle: FixBundle, input: PathInput) {
  for (const object of bundle.objects) {
    expect(schemaErrors(object), `${object.kind} ${object.metadata.name}`).toEqual([]);
    for (const example of input.examples) {
      expect(allows(object, flowOf(input, example, directionOf(object))), `${object.metadata.name} allows its own flow`).toBe(true);
    }
  }
}

function golden(file: string, text: string) {
  const target = path.join(GOLDEN, file);
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(target)) {
    mkdirSync(GOLDEN, { recursive: true });
    writeFileSync(target, text);
  }
  expect(text, `golden file ${file} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(target, "utf8"));
}

describe("allow rules from real records", () => {
  const cases = fixturePaths();

  it("covers every source and format", () => {
    expect(new Set(cases.flatMap((c) => c.path.examples.map((e) => e.source)))).toEqual(new Set(["hubble", "calico", "antrea"]));
    expect(new Set(cases.flatMap((c) => formatsFor([c.path])))).toEqual(new Set(["kubernetes", "cilium", "calico", "antrea"]));
  });

  for (const { name, path: input } of cases) {
    it(`${name}: valid, allows its own flow, as golden`, () => {
      for (const format of formatsFor([input])) {
        const variants: [string, FixOptions][] = [[format, options(format)]];
        const plain = generateFixes([input], options(format));
        if (plain.warnings.some((w) => w.scope)) variants.push([`${format}.scoped`, options(format, ["namespace", "ip"])]);
        if (format === "calico") variants.push([`${format}.staged`, options(format, [], { staged: true })]);
        for (const [variant, opts] of variants) {
          const bundle = generateFixes([input], opts);
          checkBundle(bundle, input);
          const yaml = renderYaml(bundle, `allow ${bundle.paths[0]?.flow}`);
          const parsed = parseAllDocuments(yaml).map((d) => d.toJS() as KubeObject | null).filter((o) => o !== null);
          expect(parsed).toEqual(bundle.objects);
          golden(`${name}.${variant}.yaml`, yaml);
        }
      }
    });
  }
});

describe("what each source's rule says", () => {
  const byName = new Map(fixturePaths().map((c) => [c.name, c.path]));
  const get = (name: string) => {
    const found = byName.get(name);
    if (!found) throw new Error(`no case ${name}`);
    return found;
  };

  it("Hubble (egress, labels): a CiliumNetworkPolicy on the source's labels to the destination's, in its namespace", () => {
    const input = get("hubble-observe-captured");
    expect(recommendedFormat([input])).toBe("cilium");
    const [policy] = generateFixes([input], options("cilium")).objects;
    expect(policy?.metadata.namespace).toBe("agent-restricted");
    expect(policy?.spec.endpointSelector).toEqual({ matchLabels: { "k8s:agent-id": "agt-log-reader-001", "k8s:app": "agent-probe", "k8s:role": "read-only-agent" } });
    expect(policy?.spec.egress).toEqual([
      {
        toEndpoints: [{ matchLabels: { "k8s:io.kubernetes.pod.namespace": "corp-prod", "k8s:app": "corp-prod-target" } }],
        toPorts: [{ ports: [{ port: "8080", protocol: "TCP" }] }],
      },
    ]);
  });

  it("Hubble default deny from a remote node: entity in Cilium, the node's address in Kubernetes (said so); CNI-derived labels left out", () => {
    const input = get("hubble-policy-verdict-default-deny");
    const cilium = generateFixes([input], options("cilium")).objects[0];
    expect(cilium?.spec.ingress).toEqual([{ fromEntities: ["remote-node"], toPorts: [{ ports: [{ port: "8182", protocol: "TCP" }] }] }]);
    const kubernetes = generateFixes([input], options("kubernetes"));
    expect(kubernetes.objects[0]?.spec.podSelector).toEqual({ matchLabels: { "app.kubernetes.io/instance": "project", "app.kubernetes.io/name": "deployment-name-nginx" } });
    expect(kubernetes.objects[0]?.spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: "10.15.242.79/32" } }], ports: [{ protocol: "TCP", port: 8182 }] }]);
    expect(kubernetes.warnings.map((w) => w.code)).toContain("nodes_by_address");
  });

  it("a Cilium deny policy's drop says that an allow will not pass it", () => {
    const bundle = generateFixes([get("hubble-policy-verdict-denied-by")], options("cilium"));
    expect(bundle.warnings.find((w) => w.code === "deny_rule")?.message).toContain("net-lab/deny-tg-to-echo");
  });

  it("Hubble records without labels: nothing unless scope=namespace, then every pod of the namespace, said so", () => {
    const input = get("hubble-exporter-dropped");
    const plain = generateFixes([input], options("kubernetes"));
    expect(plain.objects).toEqual([]);
    expect(plain.paths[0]?.status).toBe("none");
    expect(plain.warnings.filter((w) => w.code === "labels_unknown").map((w) => w.scope)).toEqual(["namespace", "namespace"]);
    const scoped = generateFixes([input], options("kubernetes", ["namespace"]));
    // Direction unknown: an ingress rule on the destination and an egress rule on the source.
    expect(scoped.objects.map((o) => [o.metadata.namespace, o.spec.policyTypes, o.spec.podSelector])).toEqual([
      ["default", ["Ingress"], {}],
      ["default", ["Egress"], {}],
    ]);
    expect(scoped.warnings.map((w) => w.code)).toContain("namespace_scope");
  });

  it("Calico Enterprise: the denying policy's tier, labels without pod-template-hash, namespaces by kubernetes.io/metadata.name", () => {
    const input = get("calico-flows-deny");
    expect(recommendedFormat([input])).toBe("calico");
    const bundle = generateFixes([input], options("calico"));
    const [policy] = bundle.objects;
    expect(policy?.metadata.name).toMatch(/^app-hipstershop\.allow-multitool-to-checkoutservice-5050-[0-9a-f]{6}$/);
    expect(policy?.spec).toMatchObject({
      tier: "app-hipstershop",
      selector: "app == 'checkoutservice' && tenant == 'hipstershop'",
      types: ["Ingress"],
      ingress: [{ action: "Allow", protocol: "TCP", source: { namespaceSelector: "kubernetes.io/metadata.name == 'default'", selector: "run == 'multitool'" }, destination: { ports: [5050] } }],
    });
    expect(bundle.warnings.map((w) => w.code)).toEqual(["tier"]);
    const staged = generateFixes([input], options("calico", [], { staged: true, tier: "security" })).objects[0];
    expect(staged).toMatchObject({ kind: "StagedNetworkPolicy", spec: { stagedAction: "Set", tier: "security" } });
  });

  it("Calico Whisker: Calico's own labels dropped; an explicit deny rule says the order matters", () => {
    const bundle = generateFixes([get("goldmane-whisker-1")], options("calico"));
    expect(bundle.objects[0]?.spec.selector).toBe("app == 'web' && team == 'storefront'");
    expect(bundle.warnings.find((w) => w.code === "deny_rule")?.message).toContain("storefront/web-guard");
  });

  it("Antrea np.log: no labels, peer by address only: nothing by default; scope=namespace,ip writes it, ICMP without a type", () => {
    const reject = get("antrea-np-log-1");
    expect(generateFixes([reject], options("antrea")).warnings.map((w) => [w.code, w.scope])).toEqual([
      ["labels_unknown", "namespace"],
      ["address_only", "ip"],
    ]);
    const scoped = generateFixes([reject], options("antrea", ["namespace", "ip"])).objects[0];
    expect(scoped?.spec).toMatchObject({ tier: "application", priority: 5, appliedTo: [{ podSelector: {} }], ingress: [{ action: "Allow", from: [{ ipBlock: { cidr: "10.10.1.7/32" } }], ports: [{ protocol: "TCP", port: 80 }] }] });
    const icmp = get("antrea-np-log-2");
    expect(generateFixes([icmp], options("antrea", ["namespace", "ip"])).objects[0]?.spec.ingress).toEqual([
      expect.objectContaining({ protocols: [{ icmp: {} }] }),
    ]);
    const k8s = generateFixes([icmp], options("kubernetes", ["namespace", "ip"]));
    expect(k8s.objects).toEqual([]);
    expect(k8s.warnings.map((w) => w.code)).toContain("protocol_unsupported");
  });

  it("a format of another CNI is not offered, and generating it writes nothing and says why", () => {
    const input = get("calico-flows-deny");
    expect(formatsFor([input])).toEqual(["kubernetes", "calico"]);
    const bundle = generateFixes([input], options("cilium"));
    expect(bundle.objects).toEqual([]);
    expect(bundle.warnings[0]?.code).toBe("format_unavailable");
  });
});
