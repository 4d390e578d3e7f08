import { describe, expect, it } from "vitest";
import { parseRfc3339, readTime } from "./event";

describe("parseRfc3339", () => {
  it("reads RFC 3339 with Z or a numeric offset, fractions up to nanoseconds (to the millisecond)", () => {
    expect(parseRfc3339("2026-12-01T10:00:00.123456789Z")).toEqual(new Date("2026-12-01T10:00:00.123Z"));
    expect(parseRfc3339("2026-12-01T12:00:00+02:00")).toEqual(new Date("2026-12-01T10:00:00Z"));
    expect(parseRfc3339("2026-12-01T08:30:00.5-01:30")).toEqual(new Date("2026-12-01T10:00:00.500Z"));
    expect(parseRfc3339("2026-12-01t10:00:00z")).toEqual(new Date("2026-12-01T10:00:00Z"));
    expect(parseRfc3339("1970-01-01T00:20:34.567800Z")).toEqual(new Date(1234567.8));
  });

  it("refuses text that is not RFC 3339, or has no zone (it would be read in the server's zone)", () => {
    for (const text of [
      "12/01/2026",
      "Tue, 01 Dec 2026 10:00:00 GMT",
      "2026-12-01T10:00:00",
      "2026-12-01",
      "2026-12-01 10:00:00Z",
      "2026-12-01T10:00:00.1234567890Z",
      "2026-12-01T10:00:00+0200",
      " 2026-12-01T10:00:00Z",
      "",
    ]) {
      expect(parseRfc3339(text), text).toBeNull();
    }
  });

  it("refuses dates and times that do not exist, and years outside 1970..9999", () => {
    for (const text of [
      "2026-02-30T10:00:00Z",
      "2026-13-01T10:00:00Z",
      "2026-12-01T24:00:00Z",
      "2026-12-01T10:60:00Z",
      "2026-12-31T23:59:60Z",
      "2026-12-01T10:00:00+24:00",
      "1969-12-31T23:59:59Z",
      "0001-01-01T00:00:00Z",
      "9999-12-31T23:00:00-05:00",
    ]) {
      expect(parseRfc3339(text), text).toBeNull();
    }
    expect(parseRfc3339("9999-12-31T23:59:59.999Z")).toEqual(new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999)));
  });
});

describe("readTime", () => {
  it("reads UNIX seconds, milliseconds and numeric strings", () => {
    expect(readTime(1796119200)).toEqual(new Date("2026-12-01T10:00:00Z"));
    expect(readTime("1796119200.5")).toEqual(new Date("2026-12-01T10:00:00.500Z"));
    expect(readTime(1796119200123, "ms")).toEqual(new Date("2026-12-01T10:00:00.123Z"));
    expect(readTime("1796119200123", "ms")).toEqual(new Date("2026-12-01T10:00:00.123Z"));
    expect(readTime("2026-12-01T12:00:00+02:00")).toEqual(new Date("2026-12-01T10:00:00Z"));
  });

  it("returns null for times no Date can hold or no record can have, instead of an Invalid Date", () => {
    for (const value of [Number.NaN, Infinity, 1e300, 9e12, "9000000000000", 0, -5, "0"]) {
      expect(readTime(value), String(value)).toBeNull();
    }
    expect(readTime(9e15, "ms")).toBeNull();
    expect(readTime(1e300, "ms")).toBeNull();
  });

  it("returns null for text that is not RFC 3339, and for other types", () => {
    for (const value of ["12/01/2026", "Tue, 01 Dec 2026 10:00:00 GMT", "2026-12-01T10:00:00", "yesterday", "", null, undefined, {}, true]) {
      expect(readTime(value), String(value)).toBeNull();
    }
  });
});
