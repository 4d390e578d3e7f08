// A ranked list with bars: top namespaces, reasons, clusters.
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
  onSelect?: (key: string) => void;
  /** A page for the item (e.g. the namespace page), linked beside it. */
  href?: (key: string) => string;
}) {
  const max = Math.max(1, ...items.map((i) => i.total));
  return (
    <ol className="ranked" aria-label={label}>
      {items.map((item) => (
        <li key={item.key}>
          {onSelect ? (
            <button type="button" className="link-button" onClick={() => onSelect(item.key)} title={`${item.key}: filter to it`}>
              {item.key}
            </button>
          ) : (
            <span title={item.key}>{item.key}</span>
          )}
          {href ? (
            <Link href={href(item.key)} className="muted" aria-label={`Open ${item.key}`}>
              ›
            </Link>
          ) : (
            <span />
          )}
          <span className="bar" style={{ width: `${(100 * item.total) / max}%` }} aria-hidden />
          <strong>{formatCount(item.total)}</strong>
        </li>
      ))}
    </ol>
  );
}
