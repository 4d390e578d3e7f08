// Whether each of the rollout's clusters is reporting: silence is not health, so a collector that
// stopped makes the verdict INSUFFICIENT_DATA (the reasons say which cluster and since when).
import type { ClusterReport } from "@/lib/rollouts/verdict";
import { formatUtcSince } from "../ui/format";

export function CollectorLiveness({ clusters, now }: { clusters: ClusterReport[]; now: string }) {
  return (
    <div aria-label="Collectors">
      <h3 className="subhead">Collectors</h3>
      {clusters.length === 0 ? (
        <p className="muted">Not judged: the stage is over (a past stage, or a completed soak), so silence no longer matters.</p>
      ) : (
        <ul className="liveness" aria-label="Cluster liveness">
          {clusters.map((c) => (
            <li key={c.cluster} title={c.lastSeenAt ? `last check-in ${c.lastSeenAt}` : "no check-in recorded"}>
              <span className={`dot ${c.reporting ? "dot-live" : "dot-silent"}`} aria-hidden /> <strong>{c.cluster}</strong>{" "}
              <span className={c.reporting ? "muted" : "form-error"}>
                {c.reporting ? "reporting" : "not reporting"} · {c.lastSeenAt ? `last heard ${formatUtcSince(c.lastSeenAt, now)}` : "never heard from"}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
