// Exceptions that expired on paths dropped in the stage: their paths are back in the budget.
import type { RolloutHealth } from "@/lib/queries/rollouts/getRolloutHealth";
import { formatUtcSince } from "../ui/format";

export function ExpiredExceptions({ health }: { health: RolloutHealth }) {
  if (health.expiredExceptions.length === 0) return null;
  return (
    <div aria-label="Expired exceptions">
      <h3 className="subhead">Expired exceptions · back in the budget</h3>
      <ul className="compact-list expired-list">
        {health.expiredExceptions.map((e) => (
          <li key={e.id} title={`expired ${e.expiresAt ?? ""}; created ${e.createdAt} by ${e.actor}`}>
            exception for <code>{e.path}</code> expired at {e.expiresAt ? formatUtcSince(e.expiresAt, health.evaluatedAt) : "?"} ({e.owner}, {e.reason}):{" "}
            <strong>counts again</strong> <span className="muted">· {e.rolloutId ? "this rollout" : "every rollout"}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
