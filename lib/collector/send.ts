// One POST of a spooled batch, and what to do about its answer: done, retry later, or give up.
// Retried: network errors, timeouts, 5xx, 429 (at-least-once; ingest is idempotent, so a batch
// the server stored before the connection dropped adds nothing when re-sent). Never retried: other
// 4xx, which would fail again the same way.

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
  | { kind: "unauthorized"; status: number; message: string };

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
  timeoutMs: number;
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
      signal: AbortSignal.timeout(request.timeoutMs),
    });
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    return { kind: "retry", why: `network: ${cause}`, afterMs: null };
  }
  const text = await response.text().catch(() => "");
  if (response.ok) {
    try {
      return { kind: "sent", reply: JSON.parse(text) as IngestReply };
    } catch {
      return { kind: "retry", why: `HTTP ${response.status} with a body that is not the ingest reply`, afterMs: null };
    }
  }
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
  if (response.status === 429 || response.status >= 500) {
    return { kind: "retry", why: `HTTP ${response.status}`, afterMs: retryAfter };
  }
  const error = readError(text);
  if (response.status === 401 || response.status === 403) return { kind: "unauthorized", status: response.status, message: error.message };
  return { kind: "refused", status: response.status, message: error.message, details: error.details };
}

function readError(text: string): { message: string; details: IngestReply["rejected"] } {
  try {
    const body = JSON.parse(text) as { error?: { message?: string; details?: unknown } };
    const details = Array.isArray(body.error?.details) ? (body.error.details as IngestReply["rejected"]) : [];
    return { message: body.error?.message ?? text.slice(0, 200), details };
  } catch {
    return { message: text.slice(0, 200) || "(no body)", details: [] };
  }
}
