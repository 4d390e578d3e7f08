// A ranked list with bars: top namespaces, reasons, policies, clusters. A name with a page (a
// namespace) opens it; the funnel beside it filters the view to it. A name without a page filters.
import Link from "next/link";
import { formatCount } from "../ui/format";

export function RankedList({
  items,
  label,
  onSelect,
  href,
}: {
  items: { key: string; total: number }[];
  label: string;
  /** Filter the view to the item. */
  onSelect?: (key: string) => void;
  /** A page for the item (e.g. the namespace page): its name links there. */
  href?: (key: string) => string;
}) {
  const max = Math.max(1, ...items.map((i) => i.total));
  if (items.length === 0) return <p className="muted">Nothing in this range.</p>;
  return (
    <ol className="ranked" aria-label={label}>
      {items.map((item) => (
        <li key={item.key}>
          {href ? (
            <Link prefetch={false} href={href(item.key)} className="ranked-name" title={`${item.key}: open its page`}>
              {item.key}
            </Link>
          ) : onSelect ? (
            <button type="button" className="link-button ranked-name" onClick={() => onSelect(item.key)} title={`${item.key}: filter to it`}>
              {item.key}
            </button>
          ) : (
            <span className="ranked-name" title={item.key}>
              {item.key}
            </span>
          )}
          {href && onSelect ? (
            <button type="button" className="icon-button" onClick={() => onSelect(item.key)} aria-label={`Filter to ${item.key}`} title={`Filter this view to ${item.key}`}>
              <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden>
                <path d="M1.5 2h13l-5 6.2V14l-3-1.6V8.2z" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
              </svg>
            </button>
          ) : (
            <span />
          )}
          <span className="bar-track" aria-hidden>
            <span className="bar" style={{ width: `${(100 * item.total) / max}%` }} />
          </span>
          <strong>{formatCount(item.total)}</strong>
        </li>
      ))}
    </ol>
  );
}
