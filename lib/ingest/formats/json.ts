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
  return arrayAt(record, key).filter(isNonEmptyString);
}

// Defined once: a closure made per call costs more than the filter under tsx (keepNames).
const isNonEmptyString = (v: unknown): v is string => typeof v === "string" && v !== "";

/**
 * A value as a message shows it: a string or number cut to `max` characters, anything else by its
 * kind. Never String() of a list or object: a record may nest lists 20,000 deep, and String() of
 * that overflows the stack.
 */
export function shownValue(value: unknown, max = 40): string {
  if (typeof value === "string") return value.slice(0, max);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value).slice(0, max);
  return Array.isArray(value) ? "(a list)" : "(an object)";
}

/** JSON text of a value for a dedupe key, or null when it cannot be written (nested past the stack). */
export function jsonText(value: unknown): string | null {
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}
