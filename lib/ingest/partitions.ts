// Day partitions of drop_events, created before a write needs them.
import type pg from "pg";

const DAY_MS = 86_400_000;

// Partitions known to exist in this process's database: a cache of catalog state, so the
// common case (today's partition) costs no statement.
const knownDays = new Set<string>();

export function utcDay(time: Date): string {
  return new Date(Math.floor(time.getTime() / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

export async function ensureDayPartitions(client: pg.ClientBase, times: Iterable<Date>): Promise<void> {
  // Days as numbers first: one string per distinct day, not per event.
  const dayNumbers = new Set<number>();
  for (const time of times) dayNumbers.add(Math.floor(time.getTime() / DAY_MS));
  const missing: string[] = [];
  for (const dayNumber of dayNumbers) {
    const day = utcDay(new Date(dayNumber * DAY_MS));
    if (!knownDays.has(day)) missing.push(day);
  }
  if (missing.length === 0) return;
  const days = missing.sort();
  await client.query("SELECT dropboard_ensure_day_partitions($1::date[])", [days]);
  for (const day of days) knownDays.add(day);
}
