// Drops in the stage's scope that the budget leaves out: drops whose reason no policy causes
// (conntrack, kernel, routing) and drops denied only by other policies. Shown so that a quiet
// budget is not mistaken for a quiet scope.
import type { RolloutHealth } from "@/lib/queries/rollouts/getRolloutHealth";
import type { HealthFigures } from "@/lib/rollouts/verdict";
import { formatCount } from "../ui/format";

const MAX_LISTED = 5;

const side = (namespace: string | null, workload: string | null) => [namespace ?? "(none)", workload].filter(Boolean).join("/");

export function OtherDropsInScope({ health, figures }: { health: RolloutHealth; figures: HealthFigures }) {
  const nothing = figures.otherReasonDrops === 0 && figures.otherPolicyDrops === 0;
  return (
    <div className="other-drops" aria-label="Other drops in scope">
      <h3 className="subhead">Other drops in scope · outside the budget</h3>
      {nothing ? (
        <p className="muted">None: every drop in scope since the stage began has a policy reason and is this rollout&apos;s to judge.</p>
      ) : (
        <div className="other-drops-grid">
          <div>
            <p>
              <strong title={`${figures.otherReasonDrops} drops`}>{formatCount(figures.otherReasonDrops)}</strong> drops for reasons no policy causes
            </p>
            {health.otherReasons.length > 0 && (
              <ul className="compact-list" aria-label="Other reasons">
                {health.otherReasons.map((r) => (
                  <li key={r.reason}>
                    <code>{r.reason}</code> <span className="muted" title={`${r.drops} drops`}>{formatCount(r.drops)} drops</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
          <div>
            <p>
              <strong title={`${figures.otherPolicyDrops} drops`}>{formatCount(figures.otherPolicyDrops)}</strong> drops denied by other policies, on{" "}
              {formatCount(health.otherPolicies.length)} path(s)
            </p>
            {health.otherPolicies.length > 0 && (
              <ul className="compact-list" aria-label="Paths denied by other policies">
                {health.otherPolicies.slice(0, MAX_LISTED).map((p) => (
                  <li key={`${p.cluster}/${p.id}`}>
                    {side(p.srcNamespace, p.srcWorkload)} → {side(p.dstNamespace, p.dstWorkload)}:{p.dstPort ?? "–"}/{p.protocol}{" "}
                    <span className="muted" title={`${p.count} drops`}>
                      {formatCount(p.count)} drops · {p.policies.join(", ")}
                    </span>
                  </li>
                ))}
                {health.otherPolicies.length > MAX_LISTED && (
                  <li>
                    <a href="#other-policies">all {formatCount(health.otherPolicies.length)} under Other policies</a>
                  </li>
                )}
              </ul>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
