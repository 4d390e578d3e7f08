// A POST /api/v1/ingest request as a collector sends it, for tests that call the route handler.
export interface IngestRequestOptions {
  token?: string | null;
  query?: string;
  headers?: Record<string, string>;
}

export function ingestRequest(body: string | Buffer, options: IngestRequestOptions = {}): Request {
  const headers: Record<string, string> = { "content-type": "application/x-ndjson", ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const payload = typeof body === "string" ? body : new Uint8Array(body);
  return new Request(`http://localhost/api/v1/ingest${options.query ?? ""}`, { method: "POST", headers, body: payload });
}
