// For collector tests: Hubble records for the aggregation tests: what a cluster sends in a few minutes, with every kind
// of record the edge must treat as the server does (Drop events with their PolicyVerdict copies,
// default denies, audit flows, other reasons, ICMP-less UDP, forwarded flows, repeats, garbage).
import { hubbleDrop, hubbleFlow } from "../testing/hubbleFlows";

export interface Flows {
  /** NDJSON lines, in the order a collector reads them. */
  lines: string[];
  /** Lines the server stores as drops, each counted once (repeats excluded). */
  drops: number;
}

/** `perMinute` drops on each of several paths over `minutes` whole minutes ending 5 minutes ago. */
export function clusterFlows(cluster: string, options: { minutes?: number; perMinute?: number; seed?: string } = {}): Flows {
  const minutes = options.minutes ?? 3;
  const perMinute = options.perMinute ?? 12;
  const seed = options.seed ?? cluster;
  const start = Math.floor((Date.now() - (minutes + 5) * 60_000) / 60_000) * 60_000;
  const lines: string[] = [];
  let drops = 0;
  const push = (record: unknown) => lines.push(JSON.stringify(record));
  for (let m = 0; m < minutes; m++) {
    for (let i = 0; i < perMinute; i++) {
      const time = new Date(start + m * 60_000 + i * Math.floor(55_000 / perMinute) + 7);
      const n = m * perMinute + i;
      // A deny policy: the Drop event counts, its PolicyVerdict copy names the policy.
      for (const record of hubbleDrop({
        time, cluster, uuid: `${seed}-deny-${n}`, srcNamespace: "web", srcWorkload: "frontend", srcPod: `frontend-${i % 3 === 0 ? "a" : i % 3 === 1 ? "b" : "c"}`,
        dstNamespace: "payments", dstWorkload: "api", dstPort: 8080, reason: "POLICY_DENY", policy: "deny-web", srcPort: 40000 + n,
      })) push(record);
      drops++;
      // A default deny: no policy named.
      const defaultDeny = JSON.stringify(
        hubbleFlow({ time, cluster, uuid: `${seed}-default-${n}`, srcNamespace: "web", srcWorkload: "frontend", dstNamespace: "db", dstWorkload: "postgres", dstPort: 5432, srcPort: 41000 + n }),
      );
      lines.push(defaultDeny);
      drops++;
      if (i % 2 === 0) {
        // Audit mode: would have been dropped.
        push(hubbleFlow({ time, cluster, uuid: `${seed}-audit-${n}`, verdict: "AUDIT", direction: "EGRESS", srcNamespace: "catalog", srcWorkload: "worker", dstNamespace: "search", dstWorkload: "api", dstPort: 9200, srcPort: 42000 + n }));
        drops++;
      }
      if (i % 4 === 1) {
        push(hubbleFlow({ time, cluster, uuid: `${seed}-dns-${n}`, protocol: "UDP", reason: "AUTH_REQUIRED", srcNamespace: "batch", srcWorkload: "job", dstNamespace: "kube-system", dstWorkload: "coredns", dstPort: 53, srcPort: 43000 + n }));
        drops++;
      }
      if (i % 5 === 2) push(hubbleFlow({ time, cluster, uuid: `${seed}-fwd-${n}`, verdict: "FORWARDED", srcNamespace: "web", srcWorkload: "frontend", dstNamespace: "web", dstWorkload: "cache", dstPort: 6379 }));
      // A record read twice (a retry, an overlap): counted once.
      if (i % 6 === 3) lines.push(defaultDeny);
    }
  }
  lines.push('{"this is": "not a drop record"');
  return { lines, drops };
}
