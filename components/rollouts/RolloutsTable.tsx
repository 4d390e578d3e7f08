"use client";
// The rollouts as a table, what needs someone first (sortRolloutsForList). On phones each rollout is
// a stacked row: its name, then stage, verdict and since, then scope and owner.
import Link from "next/link";
import type { RolloutView } from "@/lib/queries/rollouts/getRollout";
import { describeScope } from "@/lib/rollouts/scope";
import { formatTime } from "../ui/format";
import { sortRolloutsForList } from "../ui/rolloutOrder";
import { StageBadge, VerdictBadge } from "./badges";

export function RolloutsTable({ rollouts }: { rollouts: readonly RolloutView[] }) {
  // Sorted on every render, not once: verdicts are judged on the server's timer and arrive with a
  // later re-read of the list, and a rollout that turns BREACHED must move to the top then.
  const rows = sortRolloutsForList(rollouts);
  return (
    <div className="table-scroll">
      <table className="table stack rollouts-table" aria-label="Rollouts">
        <thead>
          <tr>
            <th scope="col">rollout</th>
            <th scope="col">stage</th>
            <th scope="col">verdict</th>
            <th scope="col">scope</th>
            <th scope="col">owner</th>
            <th scope="col">since</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="rollout-row">
              <td className="c-name">
                <Link prefetch={false} href={`/rollouts/${r.id}`}>{r.name}</Link>
              </td>
              <td className="c-stage" data-label="stage">
                {r.currentStage ? <StageBadge stage={r.currentStage.stage} /> : <span className="muted">not started</span>}
              </td>
              <td className="c-verdict" data-label="verdict">
                {r.lastVerdict ? <VerdictBadge verdict={r.lastVerdict} /> : <span className="muted">–</span>}
                {r.completedAt && (
                  <span className="state-badge state-complete state-inline" title={`${formatTime(r.completedAt)} UTC`}>
                    complete
                  </span>
                )}
              </td>
              <td className="muted c-scope" data-label="scope">
                {r.currentStage ? describeScope(r.currentStage) : "–"}
              </td>
              <td className="muted c-owner" data-label="owner">
                {r.owner ?? "–"}
              </td>
              <td className="muted c-since" data-label="since">
                {r.currentStage ? `${formatTime(r.currentStage.at)} UTC` : formatTime(r.createdAt)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
