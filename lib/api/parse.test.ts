import { describe, expect, it } from "vitest";
import { z } from "zod";
import { findNul, parseJsonBody, parseSearchParams } from "./parse";

const body = (text: string) => new Request("http://localhost/x", { method: "POST", body: text });

describe("the parse step refuses NUL, which PostgreSQL text cannot hold", () => {
  it("names the field holding it, in strings, keys and nested arrays", () => {
    expect(findNul({ a: "ok", b: ["x", "y\u0000"] })).toBe("b.1");
    expect(findNul({ a: { ["k\u0000"]: 1 } })).toBe("a.k\\u0000");
    expect(findNul("\u0000")).toBe("body");
    expect(findNul({ a: [1, true, null, { b: "fine" }] })).toBeNull();
  });

  it("copes with a body nested as deep as 64 KiB allows", async () => {
    const deep = `${"[".repeat(30_000)}"\\u0000"${"]".repeat(30_000)}`;
    const parsed = await parseJsonBody(body(deep), z.unknown());
    expect("response" in parsed && parsed.response.status).toBe(400);
    const fine = await parseJsonBody(body(`${"[".repeat(30_000)}${"]".repeat(30_000)}`), z.unknown());
    expect("data" in fine).toBe(true);
  });

  it("answers 400 for a NUL in a query parameter's value or name", async () => {
    for (const query of ["a=%00", "a=1&a=2%00", "%00=1"]) {
      const parsed = parseSearchParams(`http://localhost/x?${query}`, z.record(z.string(), z.unknown()));
      expect("response" in parsed && parsed.response.status, query).toBe(400);
    }
  });
});
