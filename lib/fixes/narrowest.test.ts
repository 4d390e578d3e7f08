// Property: for any drop path, each rule written allows the path it was made for (every pod of the
// workloads, including pods not seen yet) and nothing broader: no empty selector (no scope asked),
// a port wherever the drop had one, and a flow that differs in namespace, workload label, port,
// protocol or ICMP type is not allowed. Checked with the evaluator and the vendored schemas.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DropSource } from "../ingest/types";
import { allows, type Flow, type FlowEnd } from "./evaluate";
import { formatsFor, generateFixes } from "./generate";
import { schemaErrors } from "./schemas/validate";
import { directionOf } from "./testing";
import type { ExampleEvent, KubeObject, PathInput } from "./types";

interface Workload {
  namespace: string;
  app: string;
  extra: Record<string, string>;
}
interface Pod {
  hash: string;
  ip: string;
}

const namespace = fc.constantFrom("web", "shop", "auth", "payments", "batch");
const workload = fc.record({
  namespace,
  app: fc.constantFrom("frontend", "api", "keycloak", "db", "worker"),
  extra: fc.dictionary(fc.constantFrom("tier", "team", "version"), fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/), { maxKeys: 2 }),
});
const ip = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `10.0.${a}.${b}`);
const pod = fc.record({ hash: fc.stringMatching(/^[a-f0-9]{8,10}$/), ip });
const l4 = fc.oneof(
  fc.record({ protocol: fc.constantFrom("TCP", "UDP", "SCTP"), port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: null }), icmpType: fc.constant(null) }),
  fc.record({ protocol: fc.constantFrom("ICMPv4", "ICMPv6"), port: fc.constant(null), icmpType: fc.integer({ min: 0, max: 254 }) }),
);
const scenario = fc.record({
  source: fc.constantFrom<DropSource>("hubble", "calico", "native"),
  direction: fc.constantFrom<"INGRESS" | "EGRESS">("INGRESS", "EGRESS"),
  src: workload,
  dst: workload,
  pods: fc.array(fc.tuple(pod, pod), { minLength: 1, maxLength: 4 }),
  l4,
});
type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** A pod's labels as each source writes them: real ones, per-pod ones and the CNI's own. */
function recordLabels(source: DropSource, w: Workload, p: Pod): string[] {
  const own = { app: w.app, ...w.extra, "pod-template-hash": p.hash };
  if (source === "hubble") {
    return [...Object.entries(own).map(([k, v]) => `k8s:${k}=${v}`), `k8s:io.kubernetes.pod.namespace=${w.namespace}`, "k8s:io.cilium.k8s.policy.serviceaccount=default"];
  }
  const labels = Object.entries(own).map(([k, v]) => `${k}=${v}`);
  return source === "calico" ? [...labels, `projectcalico.org/namespace=${w.namespace}`] : labels;
}

function pathOf(s: Scenario): PathInput {
  // Calico's flow logs carry no ICMP type.
  const icmpType = s.source === "calico" ? null : s.l4.icmpType;
  const examples: ExampleEvent[] = s.pods.map(([sp, dp]) => ({
    source: s.source,
    direction: s.direction,
    srcNamespace: s.src.namespace,
    srcWorkload: `Deployment/${s.src.app}`,
    srcIp: sp.ip,
    srcIdentity: null,
    srcLabels: recordLabels(s.source, s.src, sp),
    dstNamespace: s.dst.namespace,
    dstWorkload: `Deployment/${s.dst.app}`,
    dstIp: dp.ip,
    dstIdentity: null,
    dstLabels: recordLabels(s.source, s.dst, dp),
    protocol: s.l4.protocol,
    dstPort: s.l4.port,
    icmpType,
    reason: "POLICY_DENIED",
    policies: [],
  }));
  return {
    cluster: "prop",
    id: "1",
    direction: s.direction,
    srcNamespace: s.src.namespace,
    srcWorkload: `Deployment/${s.src.app}`,
    dstNamespace: s.dst.namespace,
    dstWorkload: `Deployment/${s.dst.app}`,
    dstPort: s.l4.port,
    protocol: s.l4.protocol,
    reasons: ["POLICY_DENIED"],
    policies: [],
    examples,
  };
}

const end = (w: Workload, p: Pod): FlowEnd => ({ namespace: w.namespace, labels: { app: w.app, ...w.extra, "pod-template-hash": p.hash }, ip: p.ip });

function flowOf(s: Scenario, sp: Pod, dp: Pod, icmpType: number | null): Flow {
  return { direction: s.direction, src: end(s.src, sp), dst: end(s.dst, dp), protocol: s.l4.protocol, port: s.l4.port, icmpType };
}

/** Every label selector of the object: the subject's and each peer's (Calico: expressions). */
function selectors(object: KubeObject): unknown[] {
  const spec = object.spec as Record<string, unknown>;
  const rules = [...((spec.ingress as Record<string, unknown>[] | undefined) ?? []), ...((spec.egress as Record<string, unknown>[] | undefined) ?? [])];
  const peers = rules.flatMap((r) => [...((r.from ?? r.to ?? r.fromEndpoints ?? r.toEndpoints ?? []) as Record<string, unknown>[])]);
  switch (object.apiVersion) {
    case "networking.k8s.io/v1":
      return [spec.podSelector, ...peers.flatMap((p) => [p.podSelector, p.namespaceSelector])];
    case "cilium.io/v2":
      return [spec.endpointSelector, ...peers];
    case "projectcalico.org/v3":
      return [spec.selector, ...rules.flatMap((r) => [r.source, r.destination]).flatMap((e) => [(e as Record<string, unknown> | undefined)?.selector, (e as Record<string, unknown> | undefined)?.namespaceSelector]).filter((v) => v !== undefined)];
    default:
      return [...((spec.appliedTo as Record<string, unknown>[]) ?? []).map((a) => a.podSelector), ...peers.flatMap((p) => [p.podSelector, p.namespaceSelector])];
  }
}

const isEmptySelector = (selector: unknown) =>
  selector === undefined || selector === "all()" || (typeof selector === "object" && selector !== null && Object.keys((selector as { matchLabels?: object }).matchLabels ?? {}).length === 0 && !("matchExpressions" in selector));

const otherProtocol = (protocol: string) => ({ TCP: "UDP", UDP: "TCP", SCTP: "TCP", ICMPv4: "TCP", ICMPv6: "UDP" })[protocol] ?? "TCP";

describe("each rule allows its path and nothing broader", () => {
  it("holds for any workloads, pods, ports and protocols, in every format the source offers", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const input = pathOf(s);
        const [firstSrc, firstDst] = s.pods[0] as [Pod, Pod];
        const icmpType = input.examples[0]?.icmpType ?? null;
        for (const format of formatsFor([input])) {
          const bundle = generateFixes([input], { format, scope: [], staged: false, tier: null, priority: 5 });
          const icmp = s.l4.protocol.startsWith("ICMP");
          if (icmp && format === "kubernetes") {
            expect(bundle.objects).toEqual([]);
            continue;
          }
          expect(bundle.objects).toHaveLength(1);
          const object = bundle.objects[0] as KubeObject;
          expect(schemaErrors(object)).toEqual([]);
          expect(directionOf(object)).toBe(s.direction);
          // No empty selector: nothing was widened, no scope was asked for.
          for (const selector of selectors(object)) expect(isEmptySelector(selector), JSON.stringify(selector)).toBe(false);
          // A port wherever the drop had one.
          if (s.l4.port !== null) expect(JSON.stringify(object.spec)).toContain(String(s.l4.port));

          const base = flowOf(s, firstSrc, firstDst, icmpType);
          for (const [sp, dp] of s.pods) expect(allows(object, flowOf(s, sp, dp, icmpType))).toBe(true);
          // A pod of the same workloads not seen yet (new pod-template-hash, new address) is allowed too.
          expect(allows(object, flowOf(s, { hash: "0000000000", ip: "10.9.9.9" }, { hash: "1111111111", ip: "10.9.9.8" }, icmpType))).toBe(true);

          const denied = (flow: Flow, what: string) => expect(allows(object, flow), `${format}: ${what}`).toBe(false);
          const subject = s.direction === "INGRESS" ? "dst" : "src";
          const peer = s.direction === "INGRESS" ? "src" : "dst";
          denied({ ...base, [peer]: { ...base[peer], namespace: "elsewhere", namespaceLabels: undefined } }, "peer in another namespace");
          denied({ ...base, [subject]: { ...base[subject], namespace: "elsewhere", namespaceLabels: undefined } }, "subject in another namespace");
          denied({ ...base, [peer]: { ...base[peer], labels: { ...base[peer].labels, app: "intruder" } } }, "another workload as peer");
          denied({ ...base, [subject]: { ...base[subject], labels: { ...base[subject].labels, app: "intruder" } } }, "another workload as subject");
          for (const key of Object.keys(s[peer].extra)) {
            const { [key]: _dropped, ...fewer } = base[peer].labels;
            denied({ ...base, [peer]: { ...base[peer], labels: fewer } }, `peer without ${key}`);
          }
          const other = otherProtocol(s.l4.protocol);
          denied({ ...base, protocol: other, port: other.startsWith("ICMP") ? null : (s.l4.port ?? 80), icmpType: other.startsWith("ICMP") ? 0 : null }, "another protocol");
          if (s.l4.port !== null) denied({ ...base, port: s.l4.port === 65535 ? 1 : s.l4.port + 1 }, "another port");
          if (icmp && icmpType !== null) denied({ ...base, icmpType: (icmpType + 1) % 255 }, "another ICMP type");
        }
      }),
      { numRuns: 300 },
    );
  });

  it("without labels, writes nothing unless scope=namespace is asked for, and then says so", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const input = pathOf(s);
        for (const example of input.examples) {
          example.srcLabels = [];
          example.dstLabels = [];
        }
        for (const format of formatsFor([input])) {
          const plain = generateFixes([input], { format, scope: [], staged: false, tier: null, priority: 5 });
          expect(plain.objects).toEqual([]);
          expect(plain.warnings.some((w) => w.code === "labels_unknown" && w.scope === "namespace")).toBe(true);
          const scoped = generateFixes([input], { format, scope: ["namespace"], staged: false, tier: null, priority: 5 });
          for (const object of scoped.objects) expect(schemaErrors(object)).toEqual([]);
          if (scoped.objects.length > 0) expect(scoped.warnings.some((w) => w.code === "namespace_scope")).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});
