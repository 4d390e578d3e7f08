"use client";
// Adds (or renews) an exception for one drop path: a reason (required), an owner (empty: the write
// token's name, which the server fills in), an optional expiry (after which the path counts
// again) and a scope (this rollout, or every rollout). Marking a path again for the same scope
// replaces its exception. Esc cancels.
import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { writeApi } from "../hooks/writeApi";
import { formatTime } from "../ui/format";

export interface ExceptionTarget {
  cluster: string;
  pathId: string;
  /** The path in words: "web/frontend → shop/checkout:8080/TCP". */
  label: string;
}

/** What the form starts from (renewing an exception keeps its reason, owner and scope). */
export interface ExceptionDraft {
  reason: string;
  owner: string;
  scope: "rollout" | "global";
}

const EXPIRIES = [
  { value: "1h", label: "in 1 hour", ms: 3_600_000 },
  { value: "24h", label: "in 24 hours", ms: 86_400_000 },
  { value: "7d", label: "in 7 days", ms: 7 * 86_400_000 },
  { value: "never", label: "never", ms: null },
  { value: "custom", label: "at a date and time (UTC)…", ms: null },
] as const;
type Expiry = (typeof EXPIRIES)[number]["value"];

/** The expiry chosen, as an ISO time (null: none), or a problem to show. */
function expiresAt(choice: Expiry, custom: string, now: number): { at: string | null } | { problem: string } {
  if (choice === "never") return { at: null };
  if (choice === "custom") {
    if (!custom) return { problem: "pick the date and time it expires (UTC)" };
    const at = new Date(`${custom}${custom.length === 16 ? ":00" : ""}Z`);
    if (!Number.isFinite(at.getTime())) return { problem: "not a date and time" };
    if (at.getTime() <= now) return { problem: "the expiry must be in the future" };
    return { at: at.toISOString() };
  }
  const ms = EXPIRIES.find((e) => e.value === choice)?.ms ?? 0;
  return { at: new Date(now + ms).toISOString() };
}

interface Props {
  target: ExceptionTarget;
  rolloutId: string;
  rolloutName: string;
  draft?: ExceptionDraft;
  onSaved: () => void;
  onCancel: () => void;
}

export function ExceptionForm({ target, rolloutId, rolloutName, draft, onSaved, onCancel }: Props) {
  const id = useId();
  const [reason, setReason] = useState(draft?.reason ?? "");
  const [owner, setOwner] = useState(draft?.owner ?? "");
  const [expiry, setExpiry] = useState<Expiry>("7d");
  const [custom, setCustom] = useState("");
  const [scope, setScope] = useState<ExceptionDraft["scope"]>(draft?.scope ?? "rollout");
  const [problem, setProblem] = useState<string | null>(null);
  // When the form opened: what the expiry preview counts from (the saved expiry counts from saving).
  const [openedAt] = useState(() => Date.now());
  const save = useMutation({
    mutationFn: (body: unknown) => writeApi("/api/v1/acknowledgements", "POST", body),
    onSuccess: onSaved,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!reason.trim()) return setProblem("say why this path is an exception");
    const when = expiresAt(expiry, custom, Date.now());
    if ("problem" in when) return setProblem(when.problem);
    setProblem(null);
    save.mutate({
      cluster: target.cluster,
      pathId: target.pathId,
      reason: reason.trim(),
      ...(owner.trim() ? { owner: owner.trim() } : {}),
      ...(when.at ? { expiresAt: when.at } : {}),
      ...(scope === "rollout" ? { rolloutId } : {}),
    });
  }

  const preview = expiresAt(expiry, custom, openedAt);
  return (
    <form
      className="exception-form"
      aria-label="Add an exception"
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === "Escape") onCancel();
      }}
    >
      <p className="exception-target">
        Exception for <code>{target.label}</code> <span className="muted">(cluster {target.cluster})</span>: out of the budget, and not expected to be enforced, until it expires.
      </p>
      <div className="form-grid">
        <label className="wide">
          Reason (required)
          <input type="text" name="reason" required maxLength={2000} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} placeholder="scanner, health probe, known cost until the fix ships (ticket)" />
        </label>
        <div className="field">
          <label htmlFor={`${id}-owner-input`}>Owner</label>
          <input
            id={`${id}-owner-input`}
            type="text"
            name="owner"
            maxLength={200}
            value={owner}
            onChange={(e) => setOwner(e.target.value)}
            placeholder="default: the write token's name"
            aria-describedby={`${id}-owner`}
          />
          <span className="field-hint" id={`${id}-owner`}>
            who answers for it; empty: the write token&apos;s name
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-expiry-input`}>Expires</label>
          <select id={`${id}-expiry-input`} name="expiry" value={expiry} onChange={(e) => setExpiry(e.target.value as Expiry)} aria-describedby={`${id}-expiry`}>
            {EXPIRIES.map((e) => (
              <option key={e.value} value={e.value}>
                {e.label}
              </option>
            ))}
          </select>
          <span className="field-hint" id={`${id}-expiry`}>
            {"at" in preview
              ? preview.at
                ? `${expiry === "custom" ? "at" : "about"} ${formatTime(preview.at)} UTC; then the path counts again`
                : "no expiry: it stays until removed"
              : preview.problem}
          </span>
        </div>
        {expiry === "custom" && (
          <label>
            Expires at (UTC)
            <input type="datetime-local" name="expiresAt" value={custom} onChange={(e) => setCustom(e.target.value)} required />
          </label>
        )}
        <fieldset className="scope-choice" disabled={draft !== undefined} aria-describedby={draft ? `${id}-scope` : undefined}>
          <legend>Applies to</legend>
          <label>
            <input type="radio" name="scope" value="rollout" checked={scope === "rollout"} onChange={() => setScope("rollout")} /> this rollout ({rolloutName})
          </label>
          <label>
            <input type="radio" name="scope" value="global" checked={scope === "global"} onChange={() => setScope("global")} /> every rollout
          </label>
          {draft && (
            <span className="field-hint" id={`${id}-scope`}>
              a path has one exception per scope: to change the scope, remove this one and add another
            </span>
          )}
        </fieldset>
      </div>
      <div className="form-actions">
        <button type="submit" className="button" disabled={save.isPending || !reason.trim()}>
          Save exception
        </button>
        <button type="button" className="link-button" onClick={onCancel}>
          Cancel
        </button>
        {save.isPending && <span className="muted">saving…</span>}
      </div>
      {(problem ?? save.error?.message) && (
        <p className="form-error" role="alert">
          {problem ?? save.error?.message}
        </p>
      )}
    </form>
  );
}
