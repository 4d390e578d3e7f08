// Test helpers: real fixture records as drop paths, and example events as flows for the evaluator.
import { readFileSync } from "node:fs";
import { parseRecord } from "../ingest/formats";
import { parseAntrea } from "../ingest/formats/antrea";
import type { DropEvent } from "../ingest/types";
import { fixturePath } from "../testing/formats";
import { describeEndpoint, type Side } from "./endpoints";
import type { Flow, FlowEnd } from "./evaluate";
import { parseLabel } from "./labels";
import type { ExampleEvent, KubeObject, PathInput } from "./types";

/** The drops (and PolicyVerdict copies) a fixture file's records parse into, in file order. */
export function fixtureEvents(source: string, file: string): DropEvent[] {
  const lines = readFileSync(fixturePath(source, file), "utf8").split("\n").filter((l) => l.trim() !== "");
  return lines.flatMap((line) => {
    const outcome = file.endsWith(".log") ? parseAntrea(line) : parseRecord(JSON.parse(line), "auto");
    return outcome.kind === "drop" || outcome.kind === "annotation" ? [outcome.event] : [];
  });
}

/** A pod's labels as the Pod object has them (every k8s / unprefixed label, per-pod ones included). */
function podLabels(raw: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const text of raw) {
    const label = parseLabel(text);
    if (label && (label.source === null || label.source === "k8s")) labels[label.key] = label.value;
  }
  return labels;
}

function endOf(path: PathInput, example: ExampleEvent, side: Side): FlowEnd {
  const endpoint = describeEndpoint(path, side).endpoint;
  const src = side === "source";
  const ip = src ? example.srcIp : example.dstIp;
  const namespace = src ? example.srcNamespace : example.dstNamespace;
  if (endpoint.kind === "entity") return { namespace: null, labels: {}, ip, entity: endpoint.entity };
  if (endpoint.kind === "external") return { namespace: null, labels: {}, ip, entity: "world" };
  if (endpoint.kind === "address" || endpoint.kind === "unknown") return { namespace: null, labels: {}, ip };
  return { namespace, labels: podLabels(src ? example.srcLabels : example.dstLabels), ip };
}

/** The flow one example event stands for, seen at the side that enforces `direction`. */
export function flowOf(path: PathInput, example: ExampleEvent, direction: "INGRESS" | "EGRESS"): Flow {
  return {
    direction,
    src: endOf(path, example, "source"),
    dst: endOf(path, example, "destination"),
    protocol: example.protocol,
    port: example.dstPort,
    icmpType: example.icmpType,
  };
}

/** Which direction an allow object enforces. */
export function directionOf(object: KubeObject): "INGRESS" | "EGRESS" {
  const spec = object.spec;
  const types = (spec.policyTypes ?? spec.types) as string[] | undefined;
  if (types) return types.includes("Egress") ? "EGRESS" : "INGRESS";
  return spec.egress ? "EGRESS" : "INGRESS";
}
