// Each series' total over the chart's range: the legend under the chart, and the same figures as
// a data table (for screen readers, and for copying exact numbers).
import { formatCount } from "../ui/format";
import { seriesLabel, type ChartSeries } from "./chartData";
import { SeriesSwatch } from "./SeriesSwatch";

const legendTitle = (s: ChartSeries) =>
  s.other
    ? "the series past the top ones, summed so the total stays exact"
    : s.stillAudited
      ? "AUDIT drops where a rollout stage enforces (after its grace period): policy not enforced"
      : undefined;

export function SeriesLegend({ series, colors }: { series: ChartSeries[]; colors: string[] }) {
  return (
    <span className="legend">
      {series.map((s, i) => (
        <span key={i} className="legend-item" title={legendTitle(s)}>
          <SeriesSwatch series={s} color={colors[i]} />
          {seriesLabel(s)} <strong>{formatCount(s.total)}</strong>
        </span>
      ))}
    </span>
  );
}

export function SeriesTotalsTable({ series, total, label }: { series: ChartSeries[]; total: number; label: string }) {
  return (
    <details className="data-table">
      <summary>Data table</summary>
      <table aria-label={`${label}: totals`}>
        <thead>
          <tr>
            <th scope="col">series</th>
            <th scope="col">drops</th>
          </tr>
        </thead>
        <tbody>
          {series.map((s, i) => (
            <tr key={i}>
              <th scope="row">{seriesLabel(s)}</th>
              <td data-testid={`total-${s.other ? "(all others)" : s.key}`}>{formatCount(s.total)}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">total</th>
            <td data-testid="total-all">{formatCount(total)}</td>
          </tr>
        </tbody>
      </table>
    </details>
  );
}
