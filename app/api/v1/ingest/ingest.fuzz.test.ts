// Property test of the ingest route (the real handler, a real token, the run's PostgreSQL): batches of
// good, unique native and Hubble records (names holding every character PostgreSQL and COPY take,
// and some they must have escaped) interleaved with random bad lines and blank ones. Never a 5xx;
// every bad line is rejected by its line number with a reason; the good records are stored exactly
// once; sending the same batch again adds nothing.
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { storedDropCount, tokenFor, uniqueCluster } from "@/lib/testing/db";
import { fixtureLines } from "@/lib/testing/formats";
import { FUZZ_SEED, mutate, NASTY_NUMBERS, shown } from "@/lib/testing/fuzz";
import { hubbleFlow } from "@/lib/testing/hubbleFlows";
import { ingestRequest } from "@/lib/testing/ingestRequest";
import { POST } from "./route";

const minutesAgo = (n: number) => new Date(Date.now() - n * 60_000).toISOString();

/** Characters a name may hold that have broken stores before: COPY's escapes, array-literal quoting, the id separator, line breaks. */
const NAME_CHARS = ["a", "z", "0", "-", ".", "/", " ", "\t", "\n", "\r", "\\", '"', "'", "{", "}", ",", "\u001f", "\u2028", "é", "😀", "%", "*", "NULL"];
const validName = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/) },
  { weight: 2, arbitrary: fc.array(fc.constantFrom(...NAME_CHARS), { minLength: 1, maxLength: 12 }).map((parts) => parts.join("")) },
  { weight: 1, arbitrary: fc.constantFrom("(other)", "(none)", "t", "default", "x".repeat(253), "NULL", "\\N") },
);

/** A good record: stored as `count` drops under the batch's cluster. */
interface Good {
  line: string;
  count: number;
}

/** A good record, given the unique id (dedupe key, flow uuid) it is sent with. */
type MakeGood = (id: string) => Good;

const goodNative = (cluster: string): fc.Arbitrary<MakeGood> =>
  fc
    .record({
      minutes: fc.integer({ min: 1, max: 600 }),
      direction: fc.constantFrom("INGRESS", "EGRESS", "UNKNOWN"),
      verdict: fc.constantFrom("DROPPED", "AUDIT"),
      srcNamespace: validName,
      dstNamespace: validName,
      srcWorkload: fc.option(validName, { nil: undefined }),
      dstPort: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
      reason: fc.option(fc.oneof(fc.constantFrom("POLICY_DENIED", "POLICY_DENY", "(other)"), validName), { nil: undefined }),
      policies: fc.array(validName, { maxLength: 3 }),
      labels: fc.array(fc.oneof(validName, fc.constant("")), { maxLength: 3 }),
      count: fc.integer({ min: 1, max: 1000 }),
      named: fc.boolean(),
    })
    .map((r): MakeGood => (id) => ({
      count: r.count,
      line: JSON.stringify({
        format: "native", time: minutesAgo(r.minutes), ...(r.named ? { cluster } : {}), verdict: r.verdict, direction: r.direction,
        srcNamespace: r.srcNamespace, dstNamespace: r.dstNamespace, srcWorkload: r.srcWorkload, dstPort: r.dstPort,
        reason: r.reason && r.reason.length <= 128 ? r.reason : undefined, policies: r.policies, srcLabels: r.labels, count: r.count, key: id,
      }),
    }));

const goodHubble = (cluster: string): fc.Arbitrary<MakeGood> =>
  fc.record({ minutes: fc.integer({ min: 1, max: 600 }), src: validName, dst: validName, port: fc.integer({ min: 1, max: 65535 }) }).map(
    (r): MakeGood => (id) => ({
      count: 1,
      line: JSON.stringify(
        hubbleFlow({ time: new Date(minutesAgo(r.minutes)), cluster, srcNamespace: r.src, srcWorkload: "frontend", dstNamespace: r.dst, dstWorkload: "api", dstPort: r.port, uuid: id }),
      ),
    }),
  );

const realJsonRecords = ["hubble", "calico", "goldmane", "netobserv"].flatMap((source) => fixtureLines(source).map(({ line }) => JSON.parse(line) as Record<string, unknown>));

/** Lines ingest must reject, each on its own: not JSON, not an object, no format, a field no store can take, a time outside the window, another cluster. */
const badLine = (cluster: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom("{", '{"a":', "{]", '{"flow":{"time":}}', "{\u0000}", "not a record", "\u0000", "12/01/2026 10:00:00 Drop", '"just a string"', "42", "null", "true", "[1,2]", "[]"),
    // Nothing that opens or closes a pretty-printed body ("{", "}", "]", a lone "["): such lines may be one record over several.
    fc.string({ unit: "binary", minLength: 1, maxLength: 80 }).map((s) => s.replace(/[\n\r]/g, " ")).filter((s) => s.trim() !== "" && s.trim() !== "[" && !/^\s*[{}\]]/.test(s)),
    fc.constant(JSON.stringify({ unknown: "format" })),
    fc.constant(`{"nested":${"[".repeat(20_000)}${"]".repeat(20_000)}}`),
    // Native records with one field no store takes.
    fc
      .constantFrom<[string, unknown]>(
        ["time", "12/01/2026"], ["time", 1e300], ["time", "+275760-09-13T00:00:00.000Z"], ["time", minutesAgo(60 * 24 * 30)], ["time", minutesAgo(-60)],
        ["verdict", "FORWARDED"], ["dstPort", 65536], ["dstPort", -1], ["dstPort", 1.5], ["count", 0], ["count", 2e9], ["srcNamespace", "a\u0000b"],
        ["dstNamespace", "x".repeat(254)], ["cluster", "another-cluster"], ["policies", ["a", 1]], ["extra", 1], ["reason", "r".repeat(129)],
        ["dstPort", Infinity], ["srcIdentity", 2 ** 32],
      )
      .map(([field, value]) => JSON.stringify({ format: "native", time: minutesAgo(5), verdict: "DROPPED", dstNamespace: "web", cluster, [field]: value }) ?? "{}"),
    // Real records of each source with their time made impossible.
    fc.constantFrom(...realJsonRecords).chain((record) =>
      fc.constantFrom(...NASTY_NUMBERS.filter((n) => n > 8.64e12 || n < 0), "not a time").map((time) => {
        const poisoned = mutate(record, []);
        const flow = (poisoned.flow ?? poisoned) as Record<string, unknown>;
        for (const key of ["time", "start_time", "startTime", "TimeFlowStartMs"]) if (key in flow) flow[key] = time;
        if ("TimeFlowStartMs" in poisoned || "start_time" in poisoned || "time" in poisoned || "flow" in poisoned) return JSON.stringify(poisoned);
        return "{";
      }),
    ),
  );

/** Not records: blank and whitespace-only lines (skipped, yet counted in line numbers). */
const blankLine = fc.constantFrom("", " ", "\t", "  \t ");

type Line = { kind: "good"; good: Good } | { kind: "bad"; text: string } | { kind: "blank"; text: string } | { kind: "ignored"; text: string };

const batch = (cluster: string, run: string) =>
  fc
    .tuple(
      fc.array(fc.oneof(goodNative(cluster), goodHubble(cluster)), { minLength: 1, maxLength: 12 }),
      fc.array(badLine(cluster), { maxLength: 12 }),
      fc.array(blankLine, { maxLength: 3 }),
      fc.integer({ min: 0, max: 2 }),
      fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
      fc.record({ gzip: fc.boolean(), crlf: fc.boolean() }),
    )
    .map(([goods, bads, blanks, ignoredCount, order, how]) => {
      // Unique ids per record: a batch's good records never collide with each other or another run's.
      const unique = goods.map((make, i) => make(`${run}-${i}`));
      const forwarded = Array.from({ length: ignoredCount }, (_, i) =>
        JSON.stringify({ flow: { time: minutesAgo(3), verdict: "FORWARDED", uuid: `${run}-fwd-${i}`, node_name: `${cluster}/n` } }),
      );
      const lines: Line[] = [
        ...unique.map((good): Line => ({ kind: "good", good })),
        ...bads.map((text): Line => ({ kind: "bad", text })),
        ...blanks.map((text): Line => ({ kind: "blank", text })),
        ...forwarded.map((text): Line => ({ kind: "ignored", text })),
      ];
      // Shuffled by the generated order: any line may come first (a bad one too: firstLineArray.test.ts).
      const shuffled = lines.map((line, i) => ({ line, rank: order[i % order.length] ?? 0 })).sort((a, b) => a.rank - b.rank).map((x) => x.line);
      return { lines: shuffled, ...how };
    });

interface Reply {
  accepted: number;
  duplicates: number;
  ignored: number;
  rejected: { line: number; reason: string }[];
  rejectedCount: number;
}

describe("ingest: mixed batches of good and bad lines", () => {
  let runs = 0;
  let cluster: string;
  let token: string;
  beforeAll(async () => {
    cluster = uniqueCluster("fuzz");
    token = await tokenFor("ingest", cluster);
  });

  it("never a 5xx; bad lines rejected by number with a reason; good records stored exactly once, and once only when re-sent", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constant(null).chain(() => batch(cluster, `r${++runs}`)),
        async ({ lines, gzip, crlf }) => {
          const text = lines.map((l) => (l.kind === "good" ? l.good.line : l.text)).join(crlf ? "\r\n" : "\n");
          const body = gzip ? gzipSync(text) : text;
          const headers = gzip ? { "content-encoding": "gzip" } : undefined;
          const before = await storedDropCount(cluster);
          const send = async () => {
            const response = await POST(ingestRequest(body, { token, headers }));
            const reply = (await response.json()) as Reply;
            expect(response.status, `${response.status} ${shown(reply)} for ${shown(text)}`).toBe(200);
            return reply;
          };

          const reply = await send();
          const numbered = lines.map((line, i) => ({ line, number: i + 1 }));
          const bad = numbered.filter((x) => x.line.kind === "bad").map((x) => x.number);
          const goods = lines.flatMap((l) => (l.kind === "good" ? [l.good] : []));
          const ignored = lines.filter((l) => l.kind === "ignored").length;
          const context = `${shown(reply)} for ${shown(text)}`;
          expect(reply.rejected.map((r) => r.line), context).toEqual(bad);
          expect(reply.rejectedCount, context).toBe(bad.length);
          for (const r of reply.rejected) expect(r.reason, context).toMatch(/\S/);
          expect({ accepted: reply.accepted, duplicates: reply.duplicates, ignored: reply.ignored }, context).toEqual({ accepted: goods.length, duplicates: 0, ignored });
          const stored = goods.reduce((sum, g) => sum + g.count, 0);
          expect(await storedDropCount(cluster), context).toBe(before + stored);

          const again = await send();
          expect({ accepted: again.accepted, duplicates: again.duplicates, rejectedCount: again.rejectedCount }, context).toEqual({
            accepted: 0,
            duplicates: goods.length,
            rejectedCount: bad.length,
          });
          expect(await storedDropCount(cluster), context).toBe(before + stored);
        },
      ),
      { seed: FUZZ_SEED, numRuns: 40, endOnFailure: true },
    );
  }, 120_000);
});
