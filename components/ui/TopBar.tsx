// The bar on top of every page: the brand and the main sections.
// No link in the app prefetches: every page renders with its data as of now, so a prefetch runs a
// page's reads ahead of a click that may never come (a dozen per overview), and shows them stale.
import Link from "next/link";

export function TopBar() {
  return (
    <header className="topbar">
      <Link prefetch={false} href="/" className="brand">
        <svg width="20" height="20" viewBox="0 0 32 32" aria-hidden>
          <path d="M9 20V12M14 20V8M19 20V14M24 20V10" stroke="#f97316" strokeWidth="3" strokeLinecap="round" />
        </svg>
        Dropboard
      </Link>
      <nav aria-label="Main">
        <Link prefetch={false} href="/">Overview</Link>
        <Link prefetch={false} href="/rollouts">
          Rollouts
        </Link>
        <Link prefetch={false} href="/clusters">
          Clusters
        </Link>
      </nav>
    </header>
  );
}
