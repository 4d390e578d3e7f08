// A series' colour in the tooltip and the legend: hatched for AUDIT drops where a stage enforces.
import type { ChartSeries } from "./chartData";

export function SeriesSwatch({ series, color }: { series: ChartSeries | undefined; color: string | undefined }) {
  return <span className={`swatch${series?.stillAudited ? " swatch-hatched" : ""}`} style={series?.stillAudited ? undefined : { background: color }} />;
}
