// The one error envelope for every API reply: {"error": {"code", "message", "details"}}.
// Internal errors are logged with their stack here and answered with a generic message.

export interface ErrorDetail {
  line?: number;
  field?: string;
  reason: string;
}

export function apiError(status: number, code: string, message: string, details?: readonly ErrorDetail[]): Response {
  return Response.json({ error: { code, message, ...(details && details.length > 0 ? { details } : {}) } }, { status });
}

export const badRequest = (message: string, details?: readonly ErrorDetail[]) => apiError(400, "bad_request", message, details);
export const unauthorized = (message: string) =>
  new Response(JSON.stringify({ error: { code: "unauthorized", message } }), {
    status: 401,
    headers: { "content-type": "application/json", "www-authenticate": 'Bearer realm="dropboard"' },
  });
export const forbidden = (message: string) => apiError(403, "forbidden", message);
export const notFound = (message: string) => apiError(404, "not_found", message);
export const conflict = (message: string) => apiError(409, "conflict", message);
export const payloadTooLarge = (message: string) => apiError(413, "payload_too_large", message);
export const unsupportedMediaType = (message: string) => apiError(415, "unsupported_media_type", message);
export const tooManyRequests = (message: string, retryAfterSeconds: number) => withRetryAfter(apiError(429, "too_many_requests", message), retryAfterSeconds);
/** 503; with `retryAfterSeconds`, a Retry-After header says when to try again. */
export const serviceUnavailable = (message: string, retryAfterSeconds?: number) => withRetryAfter(apiError(503, "unavailable", message), retryAfterSeconds);

function withRetryAfter(response: Response, seconds: number | undefined): Response {
  if (seconds !== undefined) response.headers.set("retry-after", String(Math.max(1, Math.ceil(seconds))));
  return response;
}

export function internalError(error: unknown, context: string): Response {
  console.error(`[api] ${context}:`, error);
  return apiError(500, "internal", "internal error; the server log has the details");
}
