// The bar on top of every page: the brand and the main sections.
import Link from "next/link";

export function TopBar() {
  return (
    <header className="topbar">
      <Link href="/" className="brand">
        <svg width="20" height="20" viewBox="0 0 32 32" aria-hidden>
          <path d="M9 20V12M14 20V8M19 20V14M24 20V10" stroke="#f97316" strokeWidth="3" strokeLinecap="round" />
        </svg>
        Dropboard
      </Link>
      <nav aria-label="Main">
        <Link href="/">Overview</Link>
        <Link href="/rollouts" prefetch={false}>
          Rollouts
        </Link>
        <Link href="/clusters" prefetch={false}>
          Clusters
        </Link>
      </nav>
    </header>
  );
}
