// A real HTTP server around the ingest route handler, for collector tests: it can be stopped and
// started again on the same port (a server restart), or told to answer some requests itself.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

export type IngestHandler = (request: Request) => Promise<Response>;

export interface IngestServer {
  url: string;
  /** Requests answered so far (by the handler or an override). */
  requests: number;
  /** Answers instead of the handler while set (e.g. a 503 with Retry-After); null passes through. */
  override: ((request: Request) => Response | null) | null;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startIngestServer(handler: IngestHandler): Promise<IngestServer> {
  let server: Server | null = null;
  let port = 0;
  const state: IngestServer = {
    url: "",
    requests: 0,
    override: null,
    async start() {
      server = createServer((req, res) => void serve(req, res));
      await new Promise<void>((resolve) => (server as Server).listen(port, "127.0.0.1", resolve));
      port = (server.address() as AddressInfo).port;
      state.url = `http://127.0.0.1:${port}`;
    },
    async stop() {
      const current = server;
      server = null;
      if (!current) return;
      // Like a crash: open connections are cut, requests in flight get no answer.
      current.closeAllConnections();
      await new Promise<void>((resolve) => current.close(() => resolve()));
    },
  };

  async function serve(req: IncomingMessage, res: ServerResponse) {
    try {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
      const request = new Request(`http://127.0.0.1:${port}${req.url ?? "/"}`, {
        method: req.method,
        headers,
        body: req.method === "POST" ? (Readable.toWeb(req) as ReadableStream) : undefined,
        duplex: "half",
      } as RequestInit);
      state.requests++;
      const response = state.override?.(request) ?? (await handler(request));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  }

  await state.start();
  return state;
}
