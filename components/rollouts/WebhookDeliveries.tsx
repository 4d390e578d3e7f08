// The rollout's last webhook deliveries: each verdict change announced, and whether it arrived.
import type { RolloutDetail } from "@/lib/queries/rollouts/getRollout";
import { formatTime } from "../ui/format";
import { VerdictBadge } from "./badges";

export function WebhookDeliveries({ rollout }: { rollout: RolloutDetail }) {
  return (
    <section className="panel" aria-label="Webhook deliveries">
      <header className="panel-header">
        <h2>Webhook deliveries</h2>
        <span className="muted">{rollout.webhookUrl}</span>
      </header>
      {rollout.deliveries.length === 0 ? (
        <p className="muted">No verdict change announced yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="table" aria-label="Webhook deliveries">
            <thead>
              <tr>
                <th scope="col">queued</th>
                <th scope="col">verdict</th>
                <th scope="col" className="num">attempts</th>
                <th scope="col">result</th>
              </tr>
            </thead>
            <tbody>
              {rollout.deliveries.map((d) => (
                <tr key={d.id}>
                  <td className="muted">{formatTime(d.createdAt)} UTC</td>
                  <td>
                    <VerdictBadge verdict={d.verdict} />
                  </td>
                  <td className="num">{d.attempts}</td>
                  <td className={d.deliveredAt ? "" : "form-error"}>
                    {d.deliveredAt
                      ? `delivered ${formatTime(d.deliveredAt)} UTC (HTTP ${d.lastStatus ?? "?"})`
                      : d.nextAttemptAt
                        ? `failing: ${d.lastError ?? "not tried yet"}; next try ${formatTime(d.nextAttemptAt)} UTC`
                        : `gave up: ${d.lastError ?? "unknown error"}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
