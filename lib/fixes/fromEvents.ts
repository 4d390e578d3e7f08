// A drop path as the fix generators read it, made from parsed drop events (the parsers' output):
// for tests on real records, and for anything that has events in hand rather than in the database.
import { dropPathId } from "../ingest/keys";
import type { DropEvent } from "../ingest/types";
import type { ExampleEvent, PathInput } from "./types";

export function exampleOf(event: DropEvent): ExampleEvent {
  return {
    source: event.source,
    direction: event.direction,
    srcNamespace: event.srcNamespace,
    srcWorkload: event.srcWorkload,
    srcIp: event.srcIp,
    srcIdentity: event.srcIdentity,
    srcLabels: event.srcLabels,
    dstNamespace: event.dstNamespace,
    dstWorkload: event.dstWorkload,
    dstIp: event.dstIp,
    dstIdentity: event.dstIdentity,
    dstLabels: event.dstLabels,
    protocol: event.protocol,
    dstPort: event.dstPort,
    icmpType: event.icmpType,
    reason: event.reason,
    policies: event.policies,
  };
}

/** The drop path of the first event, with every event as an example (they should share its path). */
export function pathFromEvents(events: readonly DropEvent[], cluster = "default"): PathInput {
  const first = events[0];
  if (!first) throw new Error("pathFromEvents needs at least one event");
  const identity = {
    cluster: first.cluster ?? cluster,
    direction: first.direction,
    srcNamespace: first.srcNamespace,
    srcWorkload: first.srcWorkload,
    dstNamespace: first.dstNamespace,
    dstWorkload: first.dstWorkload,
    dstPort: first.dstPort,
    protocol: first.protocol,
  };
  return {
    ...identity,
    id: dropPathId(identity),
    reasons: [...new Set(events.map((e) => e.reason))],
    policies: [...new Set(events.flatMap((e) => e.policies))],
    examples: events.map(exampleOf),
  };
}
