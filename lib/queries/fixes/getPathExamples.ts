// A drop path with its newest example events, as the fix generators read it. Reads through
// getDropEvents (one path's events, newest first), within the raw retention: older examples are gone.
import { retentionSettings } from "../../config";
import type { PathInput } from "../../fixes/types";
import type { DropPathDetail } from "../drops/getDropPath";
import { getDropEvents } from "../drops/getDropEvents";

/** Example events read per path: enough for the labels all of a workload's pods share. */
export const EXAMPLES_PER_PATH = 50;
const DAY_MS = 86_400_000;

export async function getPathExamples(path: DropPathDetail): Promise<PathInput> {
  const lastSeen = new Date(path.lastSeen);
  const from = new Date(Math.max(new Date(path.firstSeen).getTime(), lastSeen.getTime() - retentionSettings().rawDays * DAY_MS));
  const page = await getDropEvents({
    from,
    to: new Date(lastSeen.getTime() + 1),
    limit: EXAMPLES_PER_PATH,
    cluster: [path.cluster],
    dropPath: path.id,
  });
  return {
    cluster: path.cluster,
    id: path.id,
    direction: path.direction,
    srcNamespace: path.srcNamespace,
    srcWorkload: path.srcWorkload,
    dstNamespace: path.dstNamespace,
    dstWorkload: path.dstWorkload,
    dstPort: path.dstPort,
    protocol: path.protocol,
    reasons: path.reasons,
    policies: path.policies,
    examples: page.events.map((e) => ({
      source: e.source,
      direction: e.direction,
      srcNamespace: e.srcNamespace,
      srcWorkload: e.srcWorkload,
      srcIp: e.srcIp,
      srcIdentity: e.srcIdentity,
      srcLabels: e.srcLabels,
      dstNamespace: e.dstNamespace,
      dstWorkload: e.dstWorkload,
      dstIp: e.dstIp,
      dstIdentity: e.dstIdentity,
      dstLabels: e.dstLabels,
      protocol: e.protocol,
      dstPort: e.dstPort,
      icmpType: e.icmpType,
      reason: e.reason,
      policies: e.policies,
    })),
  };
}
