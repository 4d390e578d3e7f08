// Which write failures a transaction may simply run again.
import type pg from "pg";

// Deadlocks and serialization failures roll the whole transaction back, so a retry is exact.
export const RETRYABLE = new Set(["40P01", "40001"]);
export const MAX_ATTEMPTS = 6;

export function sqlState(error: unknown): string {
  return typeof error === "object" && error !== null && "code" in error ? String((error as pg.DatabaseError).code) : "";
}
