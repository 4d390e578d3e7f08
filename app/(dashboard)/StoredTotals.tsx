// The footer: what is stored. Its own read, streamed after the page (it never holds the page back).
import { formatCount } from "@/components/ui/format";
import { getStoredDropTotals } from "@/lib/queries/drops/getStoredDropTotals";

const plural = (n: number, word: string) => (n === 1 ? word : `${word}s`);

export async function StoredTotals() {
  const totals = await getStoredDropTotals();
  return (
    <footer className="footer" data-testid="stored-totals">
      Stored: <span data-testid="stored-drops">{formatCount(totals.drops)}</span> {plural(totals.drops, "drop")} from {formatCount(totals.clusters)}{" "}
      {plural(totals.clusters, "cluster")} in {formatCount(totals.namespaces)} {plural(totals.namespaces, "namespace")}
      {totals.clusterNamespaces !== totals.namespaces ? ` (${formatCount(totals.clusterNamespaces)} cluster/namespace pairs)` : ""}.
    </footer>
  );
}
