// Splits a request body into records, each with the line (NDJSON, text) or position (JSON array)
// that error messages point at. A line that starts like JSON but is not fails alone; its
// neighbours go on. Other lines are text records (Antrea's np.log) for the text formats.

export type RawRecord = { line: number; value: unknown } | { line: number; text: string } | { line: number; error: string };

export function* splitRecords(body: string): Generator<RawRecord> {
  const start = firstNonSpace(body);
  if (start === -1) return;
  if (body[start] === "[") {
    const whole = tryParse(body);
    if (whole.ok || !isNdjsonStartingWithArray(body, start)) {
      yield* splitArray(body, whole);
      return;
    }
    // NDJSON whose first line is an array (or broken): that line fails alone, the rest go on.
  }
  if (body[start] === "{" && !body.includes("\n", start)) {
    yield parseLine(body, 1);
    return;
  }
  if (body[start] === "{") {
    // A pretty-printed single object spans lines; NDJSON fails to parse as one value quickly.
    const whole = tryParse(body);
    if (whole.ok && typeof whole.value === "object" && whole.value !== null && !Array.isArray(whole.value)) {
      yield { line: 1, value: whole.value };
      return;
    }
  }
  let line = 0;
  let from = 0;
  while (from <= body.length) {
    let to = body.indexOf("\n", from);
    if (to === -1) to = body.length;
    line++;
    const text = body.slice(from, to);
    if (text.trim() !== "") yield readLine(text, line);
    from = to + 1;
  }
}

/** One NDJSON line (not blank) as a record: JSON when it looks like JSON, else a text line. */
export function readLine(text: string, line: number): RawRecord {
  return looksLikeJson(text) ? parseLine(text, line) : { line, text: text.trim() };
}

/**
 * A body that starts with "[" but is not one JSON array: NDJSON when it has more lines than the first
 * and the first is not a lone "[" (a pretty-printed array that is broken stays one error).
 */
function isNdjsonStartingWithArray(body: string, start: number): boolean {
  const end = body.indexOf("\n", start);
  if (end === -1 || body.slice(end + 1).trim() === "") return false;
  return body.slice(start, end).trim() !== "[";
}

function* splitArray(body: string, parsed: ReturnType<typeof tryParse>): Generator<RawRecord> {
  if (!parsed.ok) {
    yield { line: 1, error: `body is not a valid JSON array: ${parsed.message}` };
    return;
  }
  const items = parsed.value as unknown[];
  for (let i = 0; i < items.length; i++) yield { line: i + 1, value: items[i] };
}

function parseLine(text: string, line: number): RawRecord {
  const parsed = tryParse(text);
  return parsed.ok ? { line, value: parsed.value } : { line, error: `not valid JSON: ${parsed.message}` };
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message.slice(0, 200) : "parse error" };
  }
}

function looksLikeJson(text: string): boolean {
  const start = firstNonSpace(text);
  const c = text[start];
  return c === "{" || c === "[" || c === '"';
}

function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09 && c !== 0xfeff) return i;
  }
  return -1;
}
