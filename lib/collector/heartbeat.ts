// Liveness: a healthy cluster that drops nothing sends nothing, and a rollout stage whose clusters
// have not been heard from for 5 minutes is judged INSUFFICIENT_DATA. So the collector checks in
// (POST /api/v1/heartbeat) on start and whenever a whole interval has passed without the server
// hearing from it: input idle, only ignored records, or the server unreachable. Ingest replies
// that file records under a cluster count as check-ins, so heartbeats stop while batches flow.
// A failed heartbeat is logged (once per kind of failure an hour, until one gets through) and
// never stops anything, except 401/403: a refused token stops the collector, as on ingest.
import { hostname } from "node:os";
import path from "node:path";
import type { CollectorOptions } from "./options";
import { networkCause, readError } from "./send";
import { requestSignal, wakeableSleep } from "./signals";
import type { FatalStop } from "./state";

const RELOG_MS = 3_600_000;

export interface Heartbeat {
  /** The server heard from this collector just now (an ingest reply): the next heartbeat is a whole interval away. */
  noteCheckIn(): void;
  stop(): Promise<void>;
}

/** Who is checking in, for the server to show: the host (the pod, in Kubernetes) and what it reads. */
export function collectorName(options: Pick<CollectorOptions, "file" | "native">): string {
  const input = options.file ? path.basename(options.file) : (options.native?.kind ?? "stdin");
  return `${hostname()}:${input}`.slice(0, 200);
}

type Beat = { ok: true } | { ok: false; kind: string; status: number | null; message: string };

export function startHeartbeat(options: CollectorOptions, intervalMs: number, log: (line: string) => void, fatal: FatalStop): Heartbeat {
  const stopped = new AbortController();
  const body = JSON.stringify({ ...(options.cluster ? { cluster: options.cluster } : {}), collector: collectorName(options) });
  const timeoutMs = Math.min(options.requestTimeoutMs, Math.max(intervalMs, 1000));
  let lastCheckIn = 0;
  let lastAttempt = 0;
  /** Failure kinds logged in the current run of failures, and when. */
  const logged = new Map<string, number>();
  let failures = 0;

  const beat = async (): Promise<Beat> => {
    const deadline = requestSignal(stopped.signal, timeoutMs);
    try {
      const response = await fetch(options.heartbeatUrl, {
        method: "POST",
        headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json", "user-agent": "dropboard-collect" },
        body,
        signal: deadline.signal,
      });
      const text = await response.text().catch(() => "");
      if (response.ok) return { ok: true };
      return { ok: false, kind: `HTTP ${response.status}`, status: response.status, message: readError(text).message };
    } catch (error) {
      const cause = networkCause(error);
      return { ok: false, kind: `network: ${cause}`, status: null, message: cause };
    } finally {
      deadline.dispose();
    }
  };

  const loop = (async () => {
    while (!stopped.signal.aborted && !fatal.signal.aborted) {
      const due = Math.max(lastCheckIn, lastAttempt) + intervalMs;
      if (lastAttempt > 0 && Date.now() < due) {
        await wakeableSleep(due - Date.now(), stopped.signal).done;
        continue;
      }
      lastAttempt = Date.now();
      const result = await beat();
      if (stopped.signal.aborted) return;
      if (result.ok) {
        lastCheckIn = Date.now();
        if (failures > 0) log(`heartbeat: checked in again after ${failures} failed heartbeat(s)`);
        failures = 0;
        logged.clear();
        continue;
      }
      if (result.status === 401 || result.status === 403) {
        fatal.stop({
          code: 2,
          reason: "unauthorized",
          message:
            `the server refused the token on a heartbeat (HTTP ${result.status}: ${result.message}); ` +
            `check --token${options.cluster ? " and --cluster" : ""}; unsent batches stay in ${options.spoolDir}`,
        });
        return;
      }
      failures++;
      const said = logged.get(result.kind);
      if (said === undefined || Date.now() - said >= RELOG_MS) {
        logged.set(result.kind, Date.now());
        log(`heartbeat failed (${result.kind}${result.status === null ? "" : `: ${result.message}`})${hint(result.status, options.cluster)}; drops are still sent`);
      }
    }
  })();

  return {
    noteCheckIn: () => {
      lastCheckIn = Date.now();
    },
    async stop() {
      stopped.abort();
      await loop;
    },
  };
}

function hint(status: number | null, cluster: string | null): string {
  if (status === 404) return " (this server has no /api/v1/heartbeat yet: upgrade Dropboard)";
  if (status === 400 && !cluster) return " (a token bound to no cluster needs --cluster NAME)";
  return "";
}
