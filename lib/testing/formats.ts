// Helpers for the format parsers' tests: fixture files and outcome narrowing.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { JsonObject } from "../ingest/formats/json";
import type { DropEvent, ParseOutcome } from "../ingest/types";

const FIXTURES = path.resolve(import.meta.dirname, "../ingest/formats/fixtures");
// The team's shared fixtures, when this checkout sits next to them: records added there are tested without a copy.
const SHARED_FIXTURES = path.resolve(import.meta.dirname, "../../../shared/fixtures");

export function fixturePath(source: string, file: string): string {
  return path.join(FIXTURES, source, file);
}

/** Non-empty lines of every fixture file of a source (ours, then the shared ones when present), each line once. */
export function fixtureLines(source: string): { file: string; line: string }[] {
  const seen = new Set<string>();
  return [path.join(FIXTURES, source), path.join(SHARED_FIXTURES, source)]
    .filter((dir) => existsSync(dir))
    .flatMap((dir) =>
      readdirSync(dir).flatMap((file) =>
        readFileSync(path.join(dir, file), "utf8")
          .split("\n")
          .filter((line) => line.trim() !== "")
          .map((line) => ({ file: path.join(path.basename(path.dirname(dir)), file), line })),
      ),
    )
    .filter(({ line }) => !seen.has(line) && seen.add(line) !== undefined);
}

export function fixtureRecord(source: string, file: string): JsonObject {
  return JSON.parse(readFileSync(fixturePath(source, file), "utf8").trim()) as JsonObject;
}

export function drop(outcome: ParseOutcome): DropEvent {
  if (outcome.kind !== "drop") throw new Error(`expected a drop, got ${outcome.kind}: ${outcome.reason}`);
  return outcome.event;
}
