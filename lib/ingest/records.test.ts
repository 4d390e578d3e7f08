import { describe, expect, it } from "vitest";
import { splitRecords } from "./records";

const all = (body: string) => [...splitRecords(body)];

describe("splitRecords", () => {
  it("numbers NDJSON lines as an editor does, skipping blank ones", () => {
    expect(all('{"a":1}\n\n{"b":2}\r\n{bad\n')).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 3, value: { b: 2 } },
      { line: 4, error: expect.stringContaining("not valid JSON") },
    ]);
  });

  it("reads a JSON array item by item, numbering positions", () => {
    expect(all('[{"a":1}, 2]')).toEqual([
      { line: 1, value: { a: 1 } },
      { line: 2, value: 2 },
    ]);
    expect(all("[1, 2")).toEqual([{ line: 1, error: expect.stringContaining("not a valid JSON array") }]);
  });

  it("reads one pretty-printed object as one record", () => {
    expect(all('{\n  "a": 1,\n  "b": [1, 2]\n}\n')).toEqual([{ line: 1, value: { a: 1, b: [1, 2] } }]);
  });

  it("yields nothing for an empty body", () => {
    expect(all(" \n\t")).toEqual([]);
  });
});

describe("splitRecords with text lines", () => {
  it("passes lines that do not start like JSON on as text records, trimmed", () => {
    expect(all('2023/07/04 12:45:21.804416 IngressDefaultRule x\n{"a":1}\n  plain text  \n')).toEqual([
      { line: 1, text: "2023/07/04 12:45:21.804416 IngressDefaultRule x" },
      { line: 2, value: { a: 1 } },
      { line: 3, text: "plain text" },
    ]);
  });
});
