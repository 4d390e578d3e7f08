// One POST of a spooled batch, and what to do about its answer: done, retry later, give up on the
// batch, or stop the collector.
// Retried: network errors, timeouts, 5xx, 429, and the 4xx that pass (404 from an ingress during a
// deploy, 408, 409, 425); at least once: ingest is idempotent, so a batch the server stored before
// the connection dropped adds nothing when re-sent. Refused for good (the batch is dropped): other
// 4xx about the batch itself, which would fail again the same way. Stopping (the batch stays
// spooled): 401/403, and a 400 that blames the configuration rather than the records (every record
// names a cluster the token may not write, or a request parameter such as --format is wrong).

export interface IngestReply {
  accepted: number;
  duplicates: number;
  ignored: number;
  rejected: { line: number; reason: string }[];
  rejectedCount: number;
}

export type SendOutcome =
  | { kind: "sent"; reply: IngestReply }
  /** Wait and send the same batch again; `afterMs` from Retry-After when the server said. */
  | { kind: "retry"; why: string; afterMs: number | null }
  /** The server refused the batch itself (4xx): it would fail again. */
  | { kind: "refused"; status: number; message: string; details: IngestReply["rejected"] }
  /** The token is missing, wrong or revoked: nothing will ever be accepted. */
  | { kind: "unauthorized"; status: number; message: string }
  /** The server blames the collector's configuration (token for another cluster, bad --format): every batch would fail. */
  | { kind: "misconfigured"; status: number; message: string };

/** 4xx that pass: an ingress answering 404 while the app deploys, timeouts, conflicts, too early. */
const TEMPORARY_4XX = new Set([404, 408, 409, 425, 429]);

function isTemporary(status: number): boolean {
  return status >= 500 || TEMPORARY_4XX.has(status);
}

/** Exponential backoff with full jitter: a random wait in [0, min(max, base * 2^attempt)], at least 50 ms. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.max(50, Math.round(random() * ceiling));
}

/** Retry-After as seconds or an HTTP date; null when absent or unreadable. Capped at an hour. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, 3_600_000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.min(Math.max(0, at - now), 3_600_000);
}

export interface SendRequest {
  url: URL;
  token: string;
  /** Gzipped NDJSON or text lines. */
  body: Buffer;
  contentType: string;
  /** Aborts the request: its deadline, or the collector stopping (the batch stays spooled). */
  signal: AbortSignal;
}

export async function sendBatch(request: SendRequest): Promise<SendOutcome> {
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: "POST",
      headers: {
        authorization: `Bearer ${request.token}`,
        "content-type": request.contentType,
        "content-encoding": "gzip",
        "user-agent": "dropboard-collect",
      },
      body: new Uint8Array(request.body),
      signal: request.signal,
    });
  } catch (error) {
    return { kind: "retry", why: `network: ${networkCause(error)}`, afterMs: null };
  }
  const text = await response.text().catch(() => "");
  if (response.ok) {
    try {
      return { kind: "sent", reply: JSON.parse(text) as IngestReply };
    } catch {
      return { kind: "retry", why: `HTTP ${response.status} with a body that is not the ingest reply`, afterMs: null };
    }
  }
  if (isTemporary(response.status)) {
    const hint = response.status === 404 ? ", not found: is --server Dropboard's address?" : "";
    return { kind: "retry", why: `HTTP ${response.status}${hint}`, afterMs: parseRetryAfter(response.headers.get("retry-after")) };
  }
  const error = readError(text);
  if (response.status === 401 || response.status === 403) return { kind: "unauthorized", status: response.status, message: error.message };
  const records = error.details.filter(isRecordDetail);
  if (response.status === 400 && records.length > 0 && records.length === error.details.length && records.every((d) => d.reason.startsWith("cluster:"))) {
    return { kind: "misconfigured", status: 400, message: `every record names a cluster the token may not write (line ${records[0]?.line}: ${records[0]?.reason})` };
  }
  if (response.status === 400 && error.details.some((d) => typeof (d as { field?: unknown }).field === "string")) {
    return { kind: "misconfigured", status: 400, message: error.message };
  }
  return { kind: "refused", status: response.status, message: error.message, details: records };
}

/** The innermost reason a fetch failed: "connect ECONNREFUSED ...", or the deadline's message. */
export function networkCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return (error.cause as Error | undefined)?.message ?? error.message;
}

function isRecordDetail(detail: unknown): detail is IngestReply["rejected"][number] {
  const d = detail as { line?: unknown; reason?: unknown } | null;
  return typeof d?.line === "number" && typeof d.reason === "string";
}

/** The error envelope's message and details (`[{line, reason}]` for records, `[{field, reason}]` for parameters). */
export function readError(text: string): { message: string; details: unknown[] } {
  try {
    const body = JSON.parse(text) as { error?: { message?: string; details?: unknown } };
    const details = Array.isArray(body.error?.details) ? (body.error.details as unknown[]) : [];
    return { message: body.error?.message ?? text.slice(0, 200), details };
  } catch {
    return { message: text.slice(0, 200) || "(no body)", details: [] };
  }
}
