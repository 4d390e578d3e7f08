import { Suspense, type ReactNode } from "react";
import { FreshnessBanner } from "@/components/FreshnessBanner";
import { ViewNotices } from "@/components/filters/ViewNotices";
import { Providers } from "@/components/providers";
import { formatCount } from "@/components/ui/format";
import { TopBar } from "@/components/ui/TopBar";
import { getStoredDropTotals } from "@/lib/queries/drops/getStoredDropTotals";

export const dynamic = "force-dynamic";

const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const totals = await getStoredDropTotals();
  return (
    <Providers>
      <TopBar />
      {/* Reads the URL (nuqs): a Suspense boundary keeps prerendering possible. */}
      <Suspense fallback={null}>
        <FreshnessBanner />
        <ViewNotices />
      </Suspense>
      {children}
      <footer className="footer" data-testid="stored-totals">
        Stored: <span data-testid="stored-drops">{formatCount(totals.drops)}</span> {plural(totals.drops, "drop")} from {formatCount(totals.clusters)}{" "}
        {plural(totals.clusters, "cluster")} in {formatCount(totals.namespaces)} {plural(totals.namespaces, "namespace")}
        {totals.clusterNamespaces !== totals.namespaces ? ` (${formatCount(totals.clusterNamespaces)} cluster/namespace pairs)` : ""}.
      </footer>
    </Providers>
  );
}
