import Link from "next/link";
import { Suspense, type ReactNode } from "react";
import { FreshnessBanner } from "@/components/FreshnessBanner";
import { Providers } from "@/components/providers";
import { formatCount } from "@/components/ui/format";
import { getStoredDropTotals } from "@/lib/queries/drops/getStoredDropTotals";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const totals = await getStoredDropTotals();
  return (
    <Providers>
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
      {/* Reads the URL (nuqs): a Suspense boundary keeps prerendering possible. */}
      <Suspense fallback={null}>
        <FreshnessBanner />
      </Suspense>
      {children}
      <footer className="footer">
        <span data-testid="stored-drops">{formatCount(totals.drops)}</span> drops stored across {formatCount(totals.clusters)} cluster(s) and{" "}
        {formatCount(totals.namespaces)} namespace(s).
      </footer>
    </Providers>
  );
}
