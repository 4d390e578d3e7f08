// Loading, empty and error states, the same everywhere.
import type { ReactNode } from "react";

export function Skeleton({ height = 220, label = "Loading" }: { height?: number; label?: string }) {
  return <div className="skeleton" style={{ height }} role="status" aria-label={label} />;
}

export function ErrorState({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <div className="state state-error" role="alert">
      <p>
        <strong>Could not load this.</strong> {message}
      </p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state">
      <p>
        <strong>{title}</strong>
      </p>
      {children}
    </div>
  );
}

/** What a newcomer needs when nothing has been sent yet. */
export function SendDropsHint() {
  return (
    <>
      <p>Create an ingest token and pipe Hubble&apos;s output in, or load the demo with <code>npm run demo</code>:</p>
      <pre>{`T=$(npm run -s dropboard -- token create --cluster prod-eu --scope ingest | tail -1)
hubble observe --verdict DROPPED --verdict AUDIT --since 1h -o json \\
  | curl -sS -H "Authorization: Bearer $T" -H 'Content-Type: application/x-ndjson' \\
      --data-binary @- ${typeof window === "undefined" ? "http://localhost:3000" : window.location.origin}/api/v1/ingest`}</pre>
    </>
  );
}
