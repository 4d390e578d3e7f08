// One Prometheus registry per process (README, "Metrics"), with the process's own metrics (CPU,
// memory, event loop lag, `process_start_time_seconds`). Held on globalThis like the database pool:
// Next.js may load this module once per compiled bundle (a route, instrumentation.ts), and every
// copy must count into the same registry, or a scrape would see only one route's counts.
import { collectDefaultMetrics, Registry } from "prom-client";

const holder = globalThis as unknown as { dropboardRegistry?: Registry; dropboardMetricSets?: Map<string, unknown> };

export function metricsRegistry(): Registry {
  if (!holder.dropboardRegistry) {
    const registry = new Registry();
    collectDefaultMetrics({ register: registry });
    holder.dropboardRegistry = registry;
  }
  return holder.dropboardRegistry;
}

/** A set of metrics made once per process (the first caller's), whichever bundle asks. */
export function metricSet<T>(name: string, make: (registry: Registry) => T): T {
  holder.dropboardMetricSets ??= new Map();
  const existing = holder.dropboardMetricSets.get(name);
  if (existing !== undefined) return existing as T;
  const made = make(metricsRegistry());
  holder.dropboardMetricSets.set(name, made);
  return made;
}

/** The exposition (Prometheus text format 0.0.4) and its content type. */
export async function exposition(): Promise<{ body: string; contentType: string }> {
  const registry = metricsRegistry();
  return { body: await registry.metrics(), contentType: registry.contentType };
}

/** Forgets every metric (tests). */
export function resetMetricsForTests(): void {
  holder.dropboardRegistry = undefined;
  holder.dropboardMetricSets = undefined;
}
