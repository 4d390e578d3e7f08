// At most N ingest batches are parsed and written at once per server process. The work is CPU-
// and database-bound, so more at once adds no throughput, only memory: every batch in flight
// holds its parsed events, and ten concurrent 10 MiB requests would hold over a gigabyte.
//
// A request is admitted before its body is read, and only while fewer than N + Q requests hold a
// place (Q = DROPBOARD_INGEST_QUEUE): past that it is refused at once (the route answers 429 with
// Retry-After), so overload costs neither a body read nor memory, and a collector that timed out
// and re-sends cannot pile copies up. An admitted request reads its body without holding a slot
// (a slow client blocks no one), then waits its turn, first come first served. A request whose
// client has gone while it waited is dropped before its work starts.
import { ingestLimits } from "../config";

/** What `run` returns when the client went away before the work started. */
export const CLIENT_GONE = Symbol("client gone");

export interface IngestTicket {
  /**
   * Runs `work` once a slot is free (DROPBOARD_INGEST_CONCURRENCY, default 2), then gives the place
   * back. CLIENT_GONE, without running it, when `signal` aborts first. A ticket runs once.
   */
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T | typeof CLIENT_GONE>;
  /** Gives the place back without running (the request ended early); harmless after `run`. */
  release(): void;
}

/** Requests holding a place: reading their body, waiting for a slot, or running. */
let admitted = 0;
let running = 0;
/** Waiting requests, oldest first: each is started by being handed a slot. */
const waiting: (() => void)[] = [];

/** A place for one request, or null when DROPBOARD_INGEST_CONCURRENCY + DROPBOARD_INGEST_QUEUE already hold one. */
export function admitIngest(): IngestTicket | null {
  const limits = ingestLimits();
  if (admitted >= limits.concurrentBatches + limits.queuedBatches) return null;
  admitted++;
  let state: "admitted" | "running" | "done" = "admitted";
  const finish = () => {
    if (state === "done") return;
    if (state === "running") {
      running--;
      startWaiting();
    }
    state = "done";
    admitted--;
  };
  return {
    async run(work, signal) {
      if (state !== "admitted") throw new Error("an ingest ticket runs once");
      try {
        if (signal?.aborted) return CLIENT_GONE;
        if (!(await takeSlot(signal))) return CLIENT_GONE;
        state = "running";
        // Handed a slot in the same moment the client left: its work would answer no one.
        if (signal?.aborted) return CLIENT_GONE;
        return await work();
      } finally {
        finish();
      }
    },
    release: finish,
  };
}

/** True once this request holds a slot (counted in `running`); false when `signal` aborted while it waited. */
function takeSlot(signal: AbortSignal | undefined): Promise<boolean> {
  if (running < ingestLimits().concurrentBatches) {
    running++;
    return Promise.resolve(true);
  }
  return new Promise<boolean>((resolve) => {
    const start = () => {
      signal?.removeEventListener("abort", leave);
      resolve(true);
    };
    const leave = () => {
      const at = waiting.indexOf(start);
      if (at !== -1) waiting.splice(at, 1);
      resolve(false);
    };
    waiting.push(start);
    signal?.addEventListener("abort", leave, { once: true });
  });
}

/** Hands free slots to the oldest waiting requests. */
function startWaiting(): void {
  const slots = ingestLimits().concurrentBatches;
  while (running < slots && waiting.length > 0) {
    running++;
    (waiting.shift() as () => void)();
  }
}

/** Requests admitted, and of those running (tests). */
export function ingestLoad(): { admitted: number; running: number; waiting: number } {
  return { admitted, running, waiting: waiting.length };
}
