// Narrow accessors for untyped JSON records: parsers read what is there and never throw.

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function objectAt(record: JsonObject, key: string): JsonObject | null {
  const value = record[key];
  return isObject(value) ? value : null;
}

/** A non-empty string, or null. */
export function stringAt(record: JsonObject | null, key: string): string | null {
  const value = record?.[key];
  return typeof value === "string" && value !== "" ? value : null;
}

/** A finite number (numeric strings included, as some encoders quote 64-bit ints), or null. */
export function numberAt(record: JsonObject | null, key: string): number | null {
  const value = record?.[key];
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  return null;
}

export function arrayAt(record: JsonObject | null, key: string): unknown[] {
  const value = record?.[key];
  return Array.isArray(value) ? value : [];
}

export function stringsAt(record: JsonObject | null, key: string): string[] {
  return arrayAt(record, key).filter((v): v is string => typeof v === "string" && v !== "");
}
