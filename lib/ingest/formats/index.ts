// The format registry: auto-detection tries each format's `looksLike` in order. JSON records go
// to the JSON formats, text lines (records that are not JSON) to the text formats.
import { looksLikeAntrea, parseAntrea } from "./antrea";
import { looksLikeCalico, parseCalico } from "./calico";
import { looksLikeGoldmane, parseGoldmane } from "./goldmane";
import { looksLikeHubble, parseHubble } from "./hubble";
import { isObject, type JsonObject } from "./json";
import { looksLikeNative, parseNative } from "./native";
import { looksLikeNetobserv, parseNetobserv } from "./netobserv";
import { rejected, type ParseOutcome } from "../types";

export interface SourceFormat<R> {
  name: string;
  /** What the format reads, for error messages. */
  description: string;
  looksLike(record: R): boolean;
  parse(record: R): ParseOutcome;
}

// Goldmane before Hubble: a Goldmane FlowResult is {"flow": {"Key": ...}}, which Hubble's wrapper check would claim.
export const JSON_FORMATS = [
  { name: "goldmane", description: "Calico Goldmane/Whisker flow", looksLike: looksLikeGoldmane, parse: parseGoldmane },
  { name: "hubble", description: "Cilium Hubble flow", looksLike: looksLikeHubble, parse: parseHubble },
  { name: "calico", description: "Calico Enterprise flow log", looksLike: looksLikeCalico, parse: parseCalico },
  { name: "netobserv", description: "netobserv flow", looksLike: looksLikeNetobserv, parse: parseNetobserv },
  { name: "native", description: "Dropboard native drop", looksLike: looksLikeNative, parse: parseNative },
] as const satisfies readonly SourceFormat<JsonObject>[];

export const TEXT_FORMATS = [
  { name: "antrea", description: "Antrea np.log line", looksLike: looksLikeAntrea, parse: parseAntrea },
] as const satisfies readonly SourceFormat<string>[];

export type SourceFormatName = (typeof JSON_FORMATS)[number]["name"] | (typeof TEXT_FORMATS)[number]["name"];
export const SOURCE_FORMAT_NAMES = [...JSON_FORMATS, ...TEXT_FORMATS].map((f) => f.name) as [SourceFormatName, ...SourceFormatName[]];

const TRIED_JSON = JSON_FORMATS.map((f) => f.description).join(", ");
const TRIED_TEXT = TEXT_FORMATS.map((f) => f.description).join(", ");

/** Parses one JSON record with the named format, or with the first format it looks like. */
export function parseRecord(record: unknown, format: SourceFormatName | "auto"): ParseOutcome {
  if (!isObject(record)) return rejected(`expected a JSON object, got ${record === null ? "null" : Array.isArray(record) ? "an array" : typeof record}`);
  if (format !== "auto") {
    const forced = JSON_FORMATS.find((f) => f.name === format);
    return forced ? forced.parse(record) : rejected(`format=${format} reads text lines, but this record is JSON`);
  }
  const detected = JSON_FORMATS.find((f) => f.looksLike(record));
  if (!detected) return rejected(`matches no known format (tried ${TRIED_JSON})`);
  return detected.parse(record);
}

/** Parses one text line (a record that is not JSON) with the named format, or the first it looks like. */
export function parseTextRecord(line: string, format: SourceFormatName | "auto"): ParseOutcome {
  if (format !== "auto") {
    const forced = TEXT_FORMATS.find((f) => f.name === format);
    return forced ? forced.parse(line) : rejected(`not valid JSON, and format=${format} reads JSON records`);
  }
  const detected = TEXT_FORMATS.find((f) => f.looksLike(line));
  if (!detected) {
    return rejected(`neither JSON (tried ${TRIED_JSON}) nor a known text line (tried ${TRIED_TEXT}): "${line.slice(0, 60)}"`);
  }
  return detected.parse(line);
}
