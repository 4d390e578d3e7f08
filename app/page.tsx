// Placeholder front page until the dashboard lands: says how many drops are stored and how to send more.
import { getStoredDropTotals } from "@/lib/queries/drops/getStoredDropTotals";

export const dynamic = "force-dynamic";

const numberFormat = new Intl.NumberFormat("en-US");

export default async function HomePage() {
  const totals = await getStoredDropTotals();
  return (
    <main style={{ maxWidth: 860, margin: "0 auto", padding: "48px 24px" }}>
      <h1 style={{ marginTop: 0 }}>Dropboard</h1>
      <p style={{ color: "var(--muted)" }}>Dropped-traffic observability for Kubernetes NetworkPolicy rollouts.</p>
      <section aria-label="Stored drops" style={{ background: "var(--panel)", border: "1px solid var(--border)", borderRadius: 8, padding: 20 }}>
        <p style={{ fontSize: 28, margin: 0 }}>
          <strong data-testid="stored-drops">{numberFormat.format(totals.drops)}</strong> drops stored
        </p>
        <p style={{ color: "var(--muted)", margin: "4px 0 0" }}>
          {totals.drops === 0
            ? "Nothing ingested yet."
            : `${numberFormat.format(totals.namespaces)} namespaces in ${numberFormat.format(totals.clusters)} cluster(s); latest drop in the hour of ${totals.lastDropAt?.toISOString().slice(0, 16).replace("T", " ")} UTC.`}
        </p>
      </section>
      <h2>Send drops</h2>
      <p>Create an ingest token, then pipe Hubble&apos;s output in:</p>
      <pre>{`npm run dropboard -- token create --cluster prod-eu --scope ingest
hubble observe --verdict DROPPED --verdict AUDIT -o json --follow \\
  | curl -sS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/x-ndjson' \\
      --data-binary @- http://localhost:3000/api/v1/ingest`}</pre>
    </main>
  );
}
