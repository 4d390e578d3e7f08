import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startIngestServer, type IngestServer } from "../testing/ingestServer";
import { backoffMs, parseRetryAfter, sendBatch } from "./send";

describe("backoff and Retry-After", () => {
  it("grows exponentially with full jitter, capped", () => {
    expect(backoffMs(1, 500, 30_000, () => 1)).toBe(1000);
    expect(backoffMs(3, 500, 30_000, () => 1)).toBe(4000);
    expect(backoffMs(20, 500, 30_000, () => 1)).toBe(30_000);
    expect(backoffMs(3, 500, 30_000, () => 0.5)).toBe(2000);
    expect(backoffMs(3, 500, 30_000, () => 0)).toBe(50);
  });

  it("reads seconds and HTTP dates, and ignores nonsense", () => {
    expect(parseRetryAfter("7")).toBe(7000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", Date.parse("2026-01-01T00:00:00Z"))).toBe(10_000);
    expect(parseRetryAfter("soon")).toBeNull();
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter("999999")).toBe(3_600_000);
  });
});

describe("sendBatch outcomes", () => {
  let server: IngestServer;
  let answer: () => Response;
  beforeAll(async () => {
    server = await startIngestServer(async () => answer());
  });
  afterAll(() => server.stop());

  const send = () =>
    sendBatch({ url: new URL(`${server.url}/api/v1/ingest`), token: "t", body: gzipSync("{}\n"), contentType: "application/x-ndjson", signal: AbortSignal.timeout(5000) });
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    Response.json(body, { status, headers });

  it("a 200 carries the ingest reply", async () => {
    answer = () => json(200, { accepted: 1, duplicates: 0, ignored: 0, rejected: [], rejectedCount: 0 });
    expect(await send()).toMatchObject({ kind: "sent", reply: { accepted: 1 } });
  });

  it("5xx and 429 are retried, honouring Retry-After", async () => {
    answer = () => json(503, { error: { message: "starting" } }, { "retry-after": "3" });
    expect(await send()).toEqual({ kind: "retry", why: "HTTP 503", afterMs: 3000 });
    answer = () => json(429, {});
    expect(await send()).toEqual({ kind: "retry", why: "HTTP 429", afterMs: null });
  });

  it("other 4xx are refused for good, with the server's reasons; 401/403 mean the token", async () => {
    answer = () => json(400, { error: { code: "bad_request", message: "no record could be ingested", details: [{ line: 1, reason: "nope" }] } });
    expect(await send()).toEqual({ kind: "refused", status: 400, message: "no record could be ingested", details: [{ line: 1, reason: "nope" }] });
    answer = () => json(401, { error: { message: "unknown token" } });
    expect(await send()).toEqual({ kind: "unauthorized", status: 401, message: "unknown token" });
    answer = () => json(403, { error: { message: "scope too small" } });
    expect(await send()).toEqual({ kind: "unauthorized", status: 403, message: "scope too small" });
  });

  it.each([404, 408, 409, 425])("a %i passes (an ingress during a deploy, a timeout, a conflict): retried, not dropped", async (status) => {
    answer = () => new Response("<html>not here</html>", { status, headers: { "retry-after": "2" } });
    expect(await send()).toMatchObject({ kind: "retry", why: expect.stringContaining(`HTTP ${status}`), afterMs: 2000 });
  });

  it("a 400 that blames the setup stops the collector: every record for another cluster, or a bad parameter", async () => {
    const cluster = (line: number) => ({ line, reason: 'cluster: the record is from cluster "b", but the token may only write "a"' });
    answer = () => json(400, { error: { code: "bad_request", message: "no record could be ingested: 2 rejected", details: [cluster(1), cluster(2)] } });
    expect(await send()).toEqual({ kind: "misconfigured", status: 400, message: expect.stringContaining('line 1: cluster: the record is from cluster "b"') });
    answer = () => json(400, { error: { code: "bad_request", message: 'parameter "format": Invalid option', details: [{ field: "format", reason: "Invalid option" }] } });
    expect(await send()).toEqual({ kind: "misconfigured", status: 400, message: 'parameter "format": Invalid option' });
    // Some records for another cluster, others bad in themselves: the batch is bad, not the setup.
    answer = () => json(400, { error: { code: "bad_request", message: "no record could be ingested: 2 rejected", details: [cluster(1), { line: 2, reason: "not JSON" }] } });
    expect(await send()).toMatchObject({ kind: "refused", status: 400 });
  });

  it("a request cut short by the stop signal is a retry: the batch stays spooled", async () => {
    answer = () => json(200, {});
    const stop = new AbortController();
    stop.abort(new Error("stopping"));
    const outcome = await sendBatch({ url: new URL(`${server.url}/api/v1/ingest`), token: "t", body: gzipSync("{}\n"), contentType: "application/x-ndjson", signal: stop.signal });
    expect(outcome).toEqual({ kind: "retry", why: "network: stopping", afterMs: null });
  });

  it("a server that is not there is a network error, retried", async () => {
    const outcome = await sendBatch({ url: new URL("http://127.0.0.1:9/api/v1/ingest"), token: "t", body: gzipSync(""), contentType: "text/plain", signal: AbortSignal.timeout(2000) });
    expect(outcome).toMatchObject({ kind: "retry", why: expect.stringContaining("network") });
  });
});
