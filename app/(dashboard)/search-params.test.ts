import { describe, expect, it } from "vitest";
import { ignoredParams } from "./search-params";

const ignored = (query: string) => ignoredParams(new URLSearchParams(query)).map((p) => `${p.name}=${p.value}: ${p.why}`);

describe("ignoredParams", () => {
  it("says which parameters the view ignored, and why", () => {
    expect(ignored("range=banana")).toEqual(["range=banana: not one of 15m, 1h, 6h, 24h, 7d, 30d"]);
    expect(ignored("from=%27&to=2026-01-01T00:00:00Z")).toEqual([
      "from=': not a time (ISO 8601 between 1970 and 9999, e.g. 2026-06-01T10:00:00Z)",
      "to=2026-01-01T00:00:00Z: a pinned range needs a valid from= as well",
    ]);
    expect(ignored("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z")).toEqual(["from=2026-01-02T00:00:00Z: not before to (2026-01-01T00:00:00Z)"]);
    expect(ignored("from=2026-01-01T00:00:00Z")).toEqual(["from=2026-01-01T00:00:00Z: a pinned range needs a valid to= as well"]);
    expect(ignored("verdict=DROPPED,NOPE&groupBy=t&namespace=a%00b")).toEqual([
      "groupBy=t: not one of namespace, cluster, reason, verdict, direction",
      "namespace=a\u0000b: not a name (empty, too long, or with control characters)",
      "verdict=NOPE: not one of DROPPED, AUDIT",
    ]);
  });

  it("ignores nothing in a good URL", () => {
    expect(ignored("range=7d&cluster=prod-eu,prod-us&verdict=AUDIT&from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z&refresh=30s&link=abc_12")).toEqual([]);
    expect(ignored("")).toEqual([]);
  });
});
