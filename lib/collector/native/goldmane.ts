// `--goldmane HOST:PORT`: Calico's flows from Goldmane's gRPC API (goldmane.Flows/Stream), over the
// mTLS Goldmane requires. Goldmane aggregates every node's flow logs into 15-second windows and
// streams each window's flows as it closes, as FlowResult {id, flow}; each goes on as protojson (proto
// field names, enums by name, 64-bit integers as strings), the shape the server's Goldmane parser
// reads. Flows that are no drop (allowed, with no staged deny) are left out here by that same parser,
// not sent to be ignored: most of a cluster's flows are allowed ones.
// After a dropped stream it asks again from the newest window read, less 30 s (two windows); Goldmane
// keeps an hour of windows and backfills from there, and windows read twice count once (ingest
// dedupes a window's flow by its key). The newest window is saved with the spool for a restart.
// Why the stream and not Goldmane's HTTP push (the emitter): see the README's collector section.
import { parseGoldmane } from "../../ingest/formats/goldmane";
import { objectRecord, type RecordSource } from "../source";
import { loadCursor, saveCursor } from "./cursor";
import { connection, loadProto, serverStream, serviceClient } from "./grpc";
import type { NativeContext } from "./index";
import { reconnecting, type StreamState } from "./reconnect";

/** Two 15-second windows. */
export const RESUME_OVERLAP_S = 30;

interface FlowResult {
  id?: string;
  flow?: { start_time?: string | number };
}

export function goldmaneSource({ source, options, log, fatal }: NativeContext): RecordSource<number> {
  const proto = loadProto("goldmane", "api.proto", String);
  const Flows = serviceClient(proto.grpcObject, "goldmane.Flows");
  const label = `Goldmane at ${source.address}`;
  /** The newest window start read (epoch seconds). */
  let newest: number | null = null;
  let firstAsked: number | null = null;
  let notDrops = 0;
  let streamState: StreamState | null = null;

  /** start_time_gte: 0 is "from now" to Goldmane, 1 the oldest window it holds. */
  const startTimeGte = (): number => {
    if (newest !== null) return newest - RESUME_OVERLAP_S;
    if (firstAsked !== null) return Math.floor(firstAsked / 1000) - RESUME_OVERLAP_S;
    return options.fromStart ? 1 : 0;
  };

  return {
    name: "goldmane",
    async *read(signal) {
      const saved = await loadCursor(options.spoolDir, "goldmane");
      if (saved !== null) {
        newest = Math.floor(saved / 1000);
        log(`resuming Goldmane flows from the window of ${new Date(saved).toISOString()} (saved by an earlier run), less ${RESUME_OVERLAP_S}s`);
      }
      const stream = reconnecting<FlowResult>({
        label,
        signal,
        retryBaseMs: options.retryBaseMs,
        retryMaxMs: options.retryMaxMs,
        log,
        fatal: (message) => fatal.stop({ code: 2, reason: "misconfigured", message }),
        open: async () => {
          const { credentials, options: channelOptions } = await connection(source.tls);
          const client = new Flows(source.address, credentials, channelOptions);
          const from = startTimeGte();
          firstAsked ??= Date.now();
          const call = serverStream<FlowResult>(client, "Stream", from === 0 ? {} : { start_time_gte: from });
          const describe = from === 0 ? "from now on" : from === 1 ? "from the oldest window it holds" : `from ${new Date(from * 1000).toISOString()}`;
          return { call, close: () => client.close(), describe };
        },
      });
      streamState = stream.state;
      for await (const result of stream.messages) {
        const start = Number(result.flow?.start_time);
        if (Number.isFinite(start) && (newest === null || start > newest)) newest = start;
        const record = proto.json.convert(result, "goldmane.FlowResult") as Record<string, unknown>;
        if (parseGoldmane(record).kind === "ignored") {
          notDrops++;
          continue;
        }
        yield objectRecord(record, newest === null ? undefined : newest * 1000);
      }
    },
    commit: (time) => saveCursor(options.spoolDir, "goldmane", time),
    progress: () => `goldmane: not drops ${notDrops} · reconnects ${Math.max(0, (streamState?.established ?? 0) - 1)}`,
  };
}
