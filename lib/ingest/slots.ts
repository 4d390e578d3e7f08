// At most N ingest batches are parsed and written at once per server process. The work is CPU-
// and database-bound, so more at once adds no throughput, only memory: every batch in flight
// holds its parsed events, and ten concurrent 10 MiB requests would hold over a gigabyte.
// Waiting requests hold only their body text. First come, first served.
import { ingestLimits } from "../config";

let running = 0;
const waiting: (() => void)[] = [];

/** Runs `work` once a slot is free (DROPBOARD_INGEST_CONCURRENCY, default 2). */
export async function withIngestSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= ingestLimits().concurrentBatches) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}
