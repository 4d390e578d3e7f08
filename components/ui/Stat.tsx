// A KPI tile: its value, or its own loading mark, or its own error with Retry.
import type { ReactNode } from "react";

interface TileQuery<T> {
  data: T | undefined;
  isError: boolean;
  error: Error | null;
  refetch: () => unknown;
}

export function Stat<T>({
  label,
  query,
  value,
  note,
  warning,
  warningHref,
  previousError,
  testId,
}: {
  label: string;
  query: TileQuery<T>;
  value: (data: T) => string;
  /** The line under the value; `direction` colours a change. */
  note: (data: T) => { text: string; direction?: "up" | "down" | "flat" };
  /** A line that must stand out (e.g. AUDIT drops after enforcement), linking to its details. */
  warning?: ReactNode;
  warningHref?: string;
  /** The previous period failed: Retry it from the tile. */
  previousError?: () => void;
  testId: string;
}) {
  const data = query.data;
  const line = data === undefined ? null : note(data);
  return (
    <div className="stat">
      <div className="muted">{label}</div>
      {data === undefined && query.isError ? (
        <div className="stat-error" role="alert">
          <span data-testid={testId}>–</span>
          <span className="stat-note">could not load: {query.error?.message}</span>
          <button type="button" className="link-button" onClick={() => void query.refetch()}>
            Retry
          </button>
        </div>
      ) : (
        <>
          <div className="stat-value" data-testid={testId}>
            {data === undefined ? "…" : value(data)}
          </div>
          <div className={`stat-note${line?.direction ? ` tone-${line.direction}` : ""}`}>
            {line?.text}
            {previousError && (
              <>
                previous period failed{" "}
                <button type="button" className="link-button" onClick={previousError}>
                  Retry
                </button>
              </>
            )}
          </div>
          {warning &&
            (warningHref ? (
              <a className="stat-warning" href={warningHref}>
                {warning}
              </a>
            ) : (
              <div className="stat-warning">{warning}</div>
            ))}
        </>
      )}
    </div>
  );
}
