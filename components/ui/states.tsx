// Loading, empty and error states, the same everywhere.
import type { ReactNode } from "react";

export function Skeleton({ height = 220, label = "Loading" }: { height?: number; label?: string }) {
  return <div className="skeleton" style={{ height }} role="status" aria-label={label} />;
}

export function ErrorState({ message, onRetry, compact = false }: { message: string; onRetry?: () => void; compact?: boolean }) {
  return (
    <div className={`state state-error${compact ? " state-compact" : ""}`} role="alert">
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

/** What a panel's query is: the part of a React Query result a panel needs. */
interface PanelQuery<T> {
  data: T | undefined;
  isError: boolean;
  error: Error | null;
  refetch: () => unknown;
}

/**
 * One panel's data, or its own loading skeleton, or its own error with Retry: a failed request
 * shows in the panel that needed it, never as a panel that loads forever.
 */
export function QueryState<T>({
  query,
  height = 160,
  label = "Loading",
  compact = false,
  children,
}: {
  query: PanelQuery<T>;
  height?: number;
  label?: string;
  compact?: boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isError && query.data === undefined) {
    return <ErrorState message={query.error?.message ?? "request failed"} onRetry={() => void query.refetch()} compact={compact} />;
  }
  if (query.data === undefined) return <Skeleton height={height} label={label} />;
  return (
    <>
      {query.isError && <ErrorState message={`${query.error?.message ?? "request failed"} (showing the last answer)`} onRetry={() => void query.refetch()} compact />}
      {children(query.data)}
    </>
  );
}

/** What a newcomer needs when nothing has been stored yet. */
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
