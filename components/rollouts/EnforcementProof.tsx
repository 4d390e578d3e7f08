// Proof of enforcement: in an enforcing stage, the paths audit mode predicted in scope should now
// arrive as DROPPED. "12 of 14 predicted paths now dropped; 2 still only audited", with a bar of
// the four outcomes. Paths still only audited after the grace period make the stage NOT_ENFORCED.
import { NOW_WINDOW_MINUTES, type EnforcementFigure } from "@/lib/rollouts/verdict";
import { formatCount, formatTime } from "../ui/format";

const paths = (n: number) => `${formatCount(n)} predicted ${n === 1 ? "path" : "paths"}`;

/** The figure as one sentence, as the README and the issue word it. */
export function enforcementSentence(e: EnforcementFigure): string {
  const dropped = `${formatCount(e.enforced)} of ${paths(e.predicted)} now dropped`;
  const notSeen = e.notSeen > 0 ? `; ${formatCount(e.notSeen)} not seen since the stage began` : "";
  if (!e.judged) return `${dropped} so far${notSeen}; still-audited paths are judged after the ${e.graceMinutes} min grace period`;
  return `${dropped}; ${formatCount(e.stillAudited)} still only audited${notSeen}`;
}

export function EnforcementProof({ enforcement: e, stageAt }: { enforcement: EnforcementFigure; stageAt: string | null }) {
  const graceEnd = stageAt ? new Date(new Date(stageAt).getTime() + e.graceMinutes * 60_000).toISOString() : null;
  // Seen in the stage, but neither dropped nor audited lately: audited only before the grace period ended, or not since.
  const other = Math.max(0, e.predicted - e.enforced - e.stillAudited - e.notSeen);
  const segments = [
    { key: "enforced", n: e.enforced, label: "now dropped", className: "proof-enforced" },
    { key: "audited", n: e.stillAudited, label: "still only audited", className: "proof-audited" },
    { key: "other", n: other, label: e.judged ? "audited earlier in the stage, not lately" : "not dropped yet", className: "proof-other" },
    { key: "unseen", n: e.notSeen, label: "not seen since the stage began", className: "proof-unseen" },
  ].filter((s) => s.n > 0);
  return (
    <div aria-label="Proof of enforcement" className="proof">
      <h3 className="subhead">Proof of enforcement · predicted paths should now arrive as DROPPED</h3>
      {e.predicted === 0 ? (
        <p className="muted" data-testid="enforcement">
          Audit mode predicted no drop path in this scope (none seen as AUDIT in the 30 days before the stage): nothing to prove.
        </p>
      ) : (
        <>
          <p className={`proof-line${e.judged && e.stillAudited > 0 ? " proof-failing" : ""}`} data-testid="enforcement">
            {enforcementSentence(e)}
          </p>
          <div
            className="proof-bar"
            role="img"
            aria-label={segments.map((s) => `${s.n} ${s.label}`).join(", ")}
            title={segments.map((s) => `${s.n} ${s.label}`).join(" · ")}
          >
            {segments.map((s) => (
              <span key={s.key} className={s.className} style={{ width: `${(s.n / e.predicted) * 100}%` }} />
            ))}
          </div>
          <p className="muted figure-note">
            {e.judged
              ? `"still only audited": arriving as AUDIT, never as DROPPED, in the stage's last ${NOW_WINDOW_MINUTES} min after the ${e.graceMinutes} min grace period`
              : `judged after the ${e.graceMinutes} min grace period${graceEnd ? ` (from ${formatTime(graceEnd)} UTC)` : ""}: policies take a moment to apply`}
          </p>
        </>
      )}
    </div>
  );
}
