// The dashboard's URL state: the whole view lives here, so any link reproduces it. A value a
// parser refuses reads as absent (the default), and ignoredParams says which were refused, so the
// page can show what it ignored instead of silently showing something else.
import { createParser, createSearchParamsCache, parseAsArrayOf, parseAsStringLiteral } from "nuqs/server";
import { TRAFFIC_DIRECTIONS, VERDICTS } from "@/lib/ingest/types";
import { SERIES_GROUP_NAMES } from "@/lib/queries/drops/seriesGroups";
import { parsePinnedTime, RANGE_PRESET_NAMES } from "@/lib/queries/timeRange";

export const REFRESH_INTERVALS = { off: 0, "10s": 10_000, "30s": 30_000, "1m": 60_000 } as const;
export type RefreshInterval = keyof typeof REFRESH_INTERVALS;
const REFRESH_NAMES = Object.keys(REFRESH_INTERVALS) as RefreshInterval[];

/** A pinned time: only what the range resolution accepts (ISO 8601 in 1970-9999), so nothing downstream throws. */
const pinnedTime = createParser({
  parse: (text: string) => (parsePinnedTime(text) ? text : null),
  serialize: (text: string) => text,
});

/** Names the API accepts: 1-253 characters (512 for policies), no control characters (NUL cannot be stored). */
const validName = (max: number) => (text: string) => text.length >= 1 && text.length <= max && !/[\u0000-\u001f\u007f]/.test(text);
const name = (max = 253) =>
  createParser({
    parse: (text: string) => (validName(max)(text) ? text : null),
    serialize: (text: string) => text,
  });

/** Short link ids (as /s/<id> names them). */
export const SHORT_LINK_ID_PATTERN = /^[A-Za-z0-9_-]{1,16}$/;
const shortLinkId = createParser({
  parse: (text: string) => (SHORT_LINK_ID_PATTERN.test(text) ? text : null),
  serialize: (text: string) => text,
});

export const dropViewParsers = {
  range: parseAsStringLiteral(RANGE_PRESET_NAMES).withDefault("24h"),
  from: pinnedTime,
  to: pinnedTime,
  cluster: parseAsArrayOf(name()).withDefault([]),
  namespace: parseAsArrayOf(name()).withDefault([]),
  verdict: parseAsArrayOf(parseAsStringLiteral(VERDICTS)).withDefault([]),
  direction: parseAsArrayOf(parseAsStringLiteral(TRAFFIC_DIRECTIONS)).withDefault([]),
  reason: parseAsArrayOf(name(128)).withDefault([]),
  policy: parseAsArrayOf(name(512)).withDefault([]),
  groupBy: parseAsStringLiteral(SERIES_GROUP_NAMES).withDefault("namespace"),
  refresh: parseAsStringLiteral(REFRESH_NAMES).withDefault("off"),
  /** The short link this view was opened from (/s/<id>): its title shows as a banner. */
  link: shortLinkId,
};

export const dropViewCache = createSearchParamsCache(dropViewParsers);

/** A URL parameter the view did not use, and why. */
export interface IgnoredParam {
  name: string;
  value: string;
  why: string;
}

const oneOf = (names: readonly string[]) => `not one of ${names.join(", ")}`;
const LISTS: Record<string, { allowed?: readonly string[]; valid?: (text: string) => boolean }> = {
  cluster: { valid: validName(253) },
  namespace: { valid: validName(253) },
  reason: { valid: validName(128) },
  policy: { valid: validName(512) },
  verdict: { allowed: VERDICTS },
  direction: { allowed: TRAFFIC_DIRECTIONS },
};
const CHOICES: Record<string, readonly string[]> = { range: RANGE_PRESET_NAMES, groupBy: SERIES_GROUP_NAMES, refresh: REFRESH_NAMES };

/**
 * The parameters of a dashboard URL the parsers above refuse (each reads as its default), with
 * why: "range=banana: not one of 15m, 1h, ...", "from=': not a time", a pinned range whose from is
 * not before its to, or that lacks one end. Pure: the page lists them above the view.
 */
export function ignoredParams(search: URLSearchParams): IgnoredParam[] {
  const ignored: IgnoredParam[] = [];
  const first = (key: string) => search.get(key);
  for (const [key, allowed] of Object.entries(CHOICES)) {
    const value = first(key);
    if (value !== null && !allowed.includes(value)) ignored.push({ name: key, value, why: oneOf(allowed) });
  }
  for (const [key, rule] of Object.entries(LISTS)) {
    const value = first(key);
    if (value === null || value === "") continue;
    for (const item of value.split(",")) {
      const ok = rule.allowed ? rule.allowed.includes(item) : (rule.valid?.(item) ?? true);
      if (!ok) ignored.push({ name: key, value: item, why: rule.allowed ? oneOf(rule.allowed) : "not a name (empty, too long, or with control characters)" });
    }
  }
  const times = (["from", "to"] as const).map((key) => ({ key, text: first(key), time: parsePinnedTime(first(key)) }));
  for (const { key, text, time } of times) {
    if (text !== null && !time) ignored.push({ name: key, value: text, why: "not a time (ISO 8601 between 1970 and 9999, e.g. 2026-06-01T10:00:00Z)" });
  }
  const [from, to] = times;
  if (from?.time && to?.time) {
    if (from.time >= to.time) ignored.push({ name: "from", value: from.text ?? "", why: `not before to (${to.text})` });
  } else if (from?.time) ignored.push({ name: "from", value: from.text ?? "", why: "a pinned range needs a valid to= as well" });
  else if (to?.time) ignored.push({ name: "to", value: to.text ?? "", why: "a pinned range needs a valid from= as well" });
  const link = first("link");
  if (link !== null && !SHORT_LINK_ID_PATTERN.test(link)) ignored.push({ name: "link", value: link, why: "not a short link id" });
  return ignored;
}
