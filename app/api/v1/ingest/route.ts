// POST /api/v1/ingest: NDJSON, a JSON array or one JSON object of drop records, or an aggregate batch
// from a collector that counted at the edge (README, "Ingest API").
import { z } from "zod";
import { authenticate } from "@/lib/api/auth";
import { readBodyText } from "@/lib/api/body";
import { apiError, badRequest, internalError, payloadTooLarge, serviceUnavailable, tooManyRequests, unsupportedMediaType } from "@/lib/api/errors";
import { parseSearchParams } from "@/lib/api/parse";
import { ingestLimits } from "@/lib/config";
import { databaseUnavailable, reportDatabaseFailure } from "@/lib/db/pool";
import { AggregateFormatError, ingestAggregate } from "@/lib/ingest/aggregate";
import { AGGREGATE_CONTENT_TYPE } from "@/lib/ingest/aggregateFormat";
import { SOURCE_FORMAT_NAMES } from "@/lib/ingest/formats";
import { ingestRecords, TooManyRecordsError, type IngestResult } from "@/lib/ingest/pipeline";
import { splitRecords } from "@/lib/ingest/records";
import { admitIngest, CLIENT_GONE, type IngestTicket } from "@/lib/ingest/slots";
import { countIngestRefused, observeIngest } from "@/lib/metrics/server";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  format: z.enum(["auto", "aggregate", ...SOURCE_FORMAT_NAMES]).default("auto"),
  atomic: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
});

const ACCEPTED_TYPES = new Set([
  "application/x-ndjson",
  "application/ndjson",
  "application/jsonl",
  "application/json",
  "application/jsonlines",
  "application/x-jsonlines",
  "text/plain",
  "application/octet-stream",
  AGGREGATE_CONTENT_TYPE,
]);

/** Seconds a collector should wait: a full queue drains within a batch or two; a database comes back in its own time. */
const BUSY_RETRY_SECONDS = 2;
const UNAVAILABLE_RETRY_SECONDS = 5;

/** The client went away: nobody reads this answer (499, as nginx logs it). */
const clientGone = () => apiError(499, "client_closed", "the client closed the request before it was processed");

export async function POST(request: Request): Promise<Response> {
  const startedAt = performance.now();
  let ticket: IngestTicket | null = null;
  try {
    const auth = await authenticate(request, "ingest");
    if ("response" in auth) return auth.response;
    const query = parseSearchParams(request.url, querySchema);
    if ("response" in query) return query.response;
    const contentType = (request.headers.get("content-type") ?? "application/x-ndjson").split(";")[0]?.trim().toLowerCase() ?? "";
    if (!ACCEPTED_TYPES.has(contentType)) {
      return unsupportedMediaType(`Content-Type "${contentType}" is not accepted: send application/x-ndjson or application/json (or ${AGGREGATE_CONTENT_TYPE})`);
    }
    // An aggregate batch says so by its content type or by ?format=aggregate.
    const aggregate = contentType === AGGREGATE_CONTENT_TYPE || query.data.format === "aggregate";
    if (contentType === AGGREGATE_CONTENT_TYPE && query.data.format !== "auto" && query.data.format !== "aggregate") {
      return badRequest(`format=${query.data.format} reads records, but the body is an aggregate batch (Content-Type ${AGGREGATE_CONTENT_TYPE})`, [
        { field: "format", reason: "must be aggregate or auto for an aggregate batch" },
      ]);
    }
    // A place in the queue before the body is read: past the bound, overload costs no memory.
    ticket = admitIngest();
    if (ticket === null) {
      countIngestRefused("busy");
      return tooManyRequests("the server is busy with other ingest requests: send again after the time in Retry-After", BUSY_RETRY_SECONDS);
    }
    const limits = ingestLimits();
    const body = await readBodyText(request, limits.maxBodyBytes);
    if ("response" in body) return body.response;
    if (body.text.trim() === "") return badRequest("empty body: send NDJSON (one record per line), a JSON array or a JSON object");

    const format = query.data.format;
    const result = await ticket.run(
      () =>
        aggregate
          ? ingestAggregate(parseAggregateBody(body.text), { tokenCluster: auth.token.cluster, atomic: query.data.atomic, now: new Date() })
          : ingestRecords(splitRecords(body.text), {
              format: format === "aggregate" ? "auto" : format,
              tokenCluster: auth.token.cluster,
              atomic: query.data.atomic,
              now: new Date(),
            }),
      request.signal,
    );
    if (result === CLIENT_GONE) return clientGone();
    observeIngest(aggregate ? "aggregate" : format, result, startedAt);
    const { aborted, allRefused = false, ...reply } = result as IngestResult & { allRefused?: boolean };
    if (aborted) {
      return badRequest(`${result.rejectedCount} record(s) rejected; nothing stored (atomic=true)`, result.rejected);
    }
    // An aggregate batch whose every path-minute was refused stored nothing, whatever else it tallied
    // (ignored and duplicate records): refused whole, so a misconfigured collector hears it.
    if (allRefused || result.accepted + result.duplicates + result.ignored === 0) {
      return badRequest(`no record could be ingested: ${result.rejectedCount} rejected`, result.rejected);
    }
    return Response.json(reply);
  } catch (error) {
    if (error instanceof TooManyRecordsError) return payloadTooLarge(`${error.message}; send smaller batches`);
    if (error instanceof AggregateFormatError) return badRequest(`aggregate batch: ${error.message}`);
    // The body stopped arriving because the client left: nothing went wrong here.
    if (request.signal.aborted) return clientGone();
    if (databaseUnavailable(error)) {
      countIngestRefused("database_unavailable");
      reportDatabaseFailure("ingest", error);
      return serviceUnavailable("the database is unavailable: send the batch again after the time in Retry-After (re-sent records count once)", UNAVAILABLE_RETRY_SECONDS);
    }
    return internalError(error, "ingest");
  } finally {
    ticket?.release();
  }
}

/** The aggregate batch's JSON, parsed in the request's slot (its cost is bounded like records'). */
function parseAggregateBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AggregateFormatError(`not valid JSON: ${error instanceof Error ? error.message.slice(0, 200) : "parse error"}`);
  }
}
