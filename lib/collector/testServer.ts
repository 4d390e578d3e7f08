// For collector tests: an in-process HTTP server with an ingest handler (the real route or a
// stand-in) and a stand-in `POST /api/v1/heartbeat` that records every check-in and answers as
// the server's route does (200 {"cluster", "at"}), unless told to answer otherwise.
import { promisify } from "node:util";
import { gunzip as gunzipCallback } from "node:zlib";
import { startIngestServer, type IngestHandler, type IngestServer } from "../testing/ingestServer";

const gunzip = promisify(gunzipCallback);

export interface SeenHeartbeat {
  at: number;
  authorization: string | null;
  body: { cluster?: string; collector?: string };
}

export interface CollectorTestServer {
  server: IngestServer;
  heartbeats: SeenHeartbeat[];
  /** When each ingest request was answered (ms since the epoch). */
  ingests: number[];
  /** Answers heartbeats instead of the stand-in while set (a 404 from an older server, a 401, ...). */
  heartbeatAnswer: ((request: Request) => Promise<Response>) | null;
}

export async function startCollectorTestServer(ingest: IngestHandler): Promise<CollectorTestServer> {
  const state: Omit<CollectorTestServer, "server"> = { heartbeats: [], ingests: [], heartbeatAnswer: null };
  const server = await startIngestServer(async (request) => {
    const { pathname } = new URL(request.url);
    if (pathname.endsWith("/api/v1/heartbeat")) {
      if (state.heartbeatAnswer) return state.heartbeatAnswer(request);
      const body = (await request.json()) as SeenHeartbeat["body"];
      state.heartbeats.push({ at: Date.now(), authorization: request.headers.get("authorization"), body });
      return Response.json({ cluster: body.cluster ?? "default", at: new Date().toISOString() });
    }
    const response = await ingest(request);
    state.ingests.push(Date.now());
    return response;
  });
  return Object.assign(state, { server });
}

/** A stand-in ingest route: answers every record as `accepted` or as `ignored` (say, FORWARDED flows). */
export function fakeIngest(verdict: () => "accepted" | "ignored"): IngestHandler {
  return async (request) => {
    const text = (await gunzip(Buffer.from(await request.arrayBuffer()))).toString("utf8");
    const records = text.split("\n").filter((line) => line.trim() !== "").length;
    const accepted = verdict() === "accepted" ? records : 0;
    return Response.json({ accepted, duplicates: 0, ignored: records - accepted, rejected: [], rejectedCount: 0 });
  };
}
