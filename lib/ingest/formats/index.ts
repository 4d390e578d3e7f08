// The format registry: auto-detection tries each format's `looksLike` in order.
import { looksLikeHubble, parseHubble } from "./hubble";
import { isObject, type JsonObject } from "./json";
import { looksLikeNative, parseNative } from "./native";
import { rejected, type ParseOutcome } from "../types";

export interface SourceFormat {
  name: string;
  looksLike(record: JsonObject): boolean;
  parse(record: JsonObject): ParseOutcome;
}

export const SOURCE_FORMATS = [
  { name: "hubble", looksLike: looksLikeHubble, parse: parseHubble },
  { name: "native", looksLike: looksLikeNative, parse: parseNative },
] as const satisfies readonly SourceFormat[];

export type SourceFormatName = (typeof SOURCE_FORMATS)[number]["name"];
export const SOURCE_FORMAT_NAMES = SOURCE_FORMATS.map((f) => f.name) as [SourceFormatName, ...SourceFormatName[]];

const TRIED = SOURCE_FORMAT_NAMES.join(", ");

/** Parses one JSON record with the named format, or with the first format it looks like. */
export function parseRecord(record: unknown, format: SourceFormatName | "auto"): ParseOutcome {
  if (!isObject(record)) return rejected(`expected a JSON object, got ${record === null ? "null" : Array.isArray(record) ? "an array" : typeof record}`);
  if (format !== "auto") {
    const forced = SOURCE_FORMATS.find((f) => f.name === format);
    return forced ? forced.parse(record) : rejected(`unknown format ${format}`);
  }
  const detected = SOURCE_FORMATS.find((f) => f.looksLike(record));
  if (!detected) return rejected(`matches no known format (tried ${TRIED})`);
  return detected.parse(record);
}
