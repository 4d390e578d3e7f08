// `--hubble-relay HOST:PORT`: dropped and audited flows straight from Hubble Relay's gRPC API
// (observer.Observer/GetFlows, follow), no `hubble` binary needed. The relay filters: verdict DROPPED
// or AUDIT, event type Drop (1, it counts the drop) or PolicyVerdict (5, it names the policy; see
// lib/ingest/formats/hubble.ts). Each flow goes on as the JSON `hubble observe -o json` prints
// ({"flow": {...}, "node_name", "time"}), so the server's one Hubble parser reads it.
// After a dropped stream (relay restart, network) it asks again `since` the newest flow read, less
// 30 s: flows the relay sorts late are not lost, and the ones read twice count once (ingest is
// idempotent by flow uuid). The newest time is saved with the spool, so a restart resumes there too.
import { objectRecord, type RecordSource } from "../source";
import { loadCursor, saveCursor } from "./cursor";
import { connection, loadProto, serverStream, serviceClient } from "./grpc";
import type { NativeContext } from "./index";
import { rfc3339 } from "./protojson";
import { reconnecting, type StreamState } from "./reconnect";

/** How far before the newest flow read a resumed stream starts. */
export const RESUME_OVERLAP_S = 30;
/** verdict ∈ {DROPPED, AUDIT} and event type ∈ {Drop, PolicyVerdict}: the fields of one filter must all match. */
export const DROP_FILTER = { verdict: ["DROPPED", "AUDIT"], event_type: [{ type: 1 }, { type: 5 }] };
const LOST_LOG_MS = 60_000;
const MAX_NAMED_NODES = 10;

interface Timestamp {
  seconds?: number;
  nanos?: number;
}

interface GetFlowsResponse {
  flow?: { time?: Timestamp };
  node_status?: { state_change?: string; node_names?: string[]; message?: string };
  lost_events?: { source?: string; num_events_lost?: number };
  node_name?: string;
  time?: Timestamp;
}

export function hubbleRelaySource({ source, options, log, fatal }: NativeContext): RecordSource<number> {
  const proto = loadProto("cilium", "observer/observer.proto", Number);
  const Observer = serviceClient(proto.grpcObject, "observer.Observer");
  const label = `Hubble Relay at ${source.address}${source.tls ? " (TLS)" : ""}`;
  /** The newest flow time read, as the relay sent it (nanoseconds kept, for an exact `since`). */
  let newest: { seconds: number; nanos: number } | null = null;
  /** When this run first asked for flows: what a resume goes back to before any flow was read. */
  let firstAsked: number | null = null;
  let lost = 0;
  let lostLoggedAt = 0;
  let streamState: StreamState | null = null;

  const since = (): Timestamp | null => {
    if (newest) return { seconds: newest.seconds - RESUME_OVERLAP_S, nanos: newest.nanos };
    if (firstAsked !== null) return { seconds: Math.floor(firstAsked / 1000) - RESUME_OVERLAP_S, nanos: 0 };
    return options.fromStart ? { seconds: 1, nanos: 0 } : null;
  };

  const onStatus = (response: GetFlowsResponse) => {
    const { node_status: status, lost_events: lostEvents } = response;
    if (status) {
      const names = status.node_names ?? [];
      const named = names.slice(0, MAX_NAMED_NODES).join(", ") + (names.length > MAX_NAMED_NODES ? ` and ${names.length - MAX_NAMED_NODES} more` : "");
      log(`Hubble Relay: ${status.state_change ?? "UNKNOWN_NODE_STATE"}${named ? ` ${named}` : ""}${status.message ? `: ${status.message}` : ""}`);
    }
    if (lostEvents) {
      lost += lostEvents.num_events_lost ?? 0;
      if (Date.now() - lostLoggedAt >= LOST_LOG_MS) {
        lostLoggedAt = Date.now();
        log(`Hubble lost events (${lostEvents.source ?? "UNKNOWN_LOST_EVENT_SOURCE"}${response.node_name ? ` on ${response.node_name}` : ""}): ${lost} so far; drops among them are not seen`);
      }
    }
  };

  return {
    name: "hubble-relay",
    async *read(signal) {
      const saved = await loadCursor(options.spoolDir, "hubble-relay");
      if (saved !== null) {
        newest = { seconds: Math.floor(saved / 1000), nanos: (saved % 1000) * 1_000_000 };
        log(`resuming Hubble flows from ${new Date(saved).toISOString()} (saved by an earlier run), less ${RESUME_OVERLAP_S}s`);
      }
      const stream = reconnecting<GetFlowsResponse>({
        label,
        signal,
        retryBaseMs: options.retryBaseMs,
        retryMaxMs: options.retryMaxMs,
        log,
        fatal: (message) => fatal.stop({ code: 2, reason: "misconfigured", message }),
        open: async () => {
          const { credentials, options: channelOptions } = await connection(source.tls);
          const client = new Observer(source.address, credentials, channelOptions);
          const from = since();
          firstAsked ??= Date.now();
          const request = { follow: true, whitelist: [DROP_FILTER], ...(from ? { since: from } : {}) };
          const call = serverStream<GetFlowsResponse>(client, "GetFlows", request);
          return { call, close: () => client.close(), describe: from ? `since ${rfc3339(from.seconds ?? 0, from.nanos ?? 0)}` : "from now on" };
        },
      });
      streamState = stream.state;
      for await (const response of stream.messages) {
        if (!response.flow) {
          onStatus(response);
          continue;
        }
        const time = response.flow.time ?? response.time;
        if (time && (newest === null || later(time, newest))) newest = { seconds: time.seconds ?? 0, nanos: time.nanos ?? 0 };
        const record = proto.json.convert(response, "observer.GetFlowsResponse");
        yield objectRecord(record, newest ? newest.seconds * 1000 + Math.floor(newest.nanos / 1_000_000) : undefined);
      }
    },
    commit: (time) => saveCursor(options.spoolDir, "hubble-relay", time),
    progress: () => `relay: lost events ${lost} · reconnects ${Math.max(0, (streamState?.established ?? 0) - 1)}`,
  };
}

function later(a: Timestamp, b: { seconds: number; nanos: number }): boolean {
  const seconds = a.seconds ?? 0;
  return seconds > b.seconds || (seconds === b.seconds && (a.nanos ?? 0) > b.nanos);
}
