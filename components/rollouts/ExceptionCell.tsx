// An exception in a table cell: its reason, owner, expiry (or that it expired) and scope.
import type { Acknowledgement } from "@/lib/queries/rollouts/getExceptions";
import { formatTime } from "../ui/format";

/** The expiry in words; `text` for an expired one reads "expired …", `short` leaves that word to a badge. */
export function expiryText(expiresAt: string | null, now: number): { text: string; short: string; expired: boolean } {
  if (expiresAt === null) return { text: "no expiry", short: "no expiry", expired: false };
  const at = new Date(expiresAt).getTime();
  if (at <= now) return { text: `expired ${formatTime(expiresAt)} UTC: counts again`, short: `${formatTime(expiresAt)} UTC: counts again`, expired: true };
  const hours = (at - now) / 3_600_000;
  const left = hours < 1 ? `${Math.max(1, Math.round(hours * 60))} min` : hours < 48 ? `${Math.round(hours)} h` : `${Math.round(hours / 24)} d`;
  const text = `until ${formatTime(expiresAt)} UTC (${left} left)`;
  return { text, short: text, expired: false };
}

export function ExceptionCell({ exception: e, now }: { exception: Acknowledgement; now: number }) {
  const expiry = expiryText(e.expiresAt, now);
  return (
    <span className="exception-cell" title={`created ${formatTime(e.createdAt)} UTC by ${e.actor}`}>
      <span>{e.reason}</span>
      <span className="muted">
        owner <strong>{e.owner}</strong> · <span className={expiry.expired ? "form-error" : undefined}>{expiry.text}</span> · {e.rolloutId ? "this rollout" : "every rollout"}
      </span>
    </span>
  );
}
