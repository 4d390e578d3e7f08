// Where the collector's records come from. Every source yields records into the same batching path
// (collect.ts): stdin, a followed file, or a CNI's own API (native/: Hubble Relay, Goldmane). A
// record is one line as the server's ingest reads it (a JSON object or an Antrea text line); the
// native sources also hand over the object the line was made from, for the collector to parse at
// the edge without reading it back. Each record may carry a mark, where reading stood after it:
// once its batch is spooled the source commits the mark, so a restarted collector resumes there.
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { followFile } from "./follow";
import { loadPosition, savePosition, type FilePosition } from "./position";

export interface SourceRecord<Mark> {
  line: string;
  /** The object `line` was serialised from (native sources). */
  record?: object;
  mark?: Mark;
}

export interface RecordSource<Mark = unknown> {
  /** What is read, for the log and the heartbeat: "stdin", "flows.log", "hubble-relay". */
  name: string;
  /** Yields records until the input ends or `signal` aborts. */
  read(signal: AbortSignal): AsyncIterable<SourceRecord<Mark>>;
  /** Called, in order, with the mark of each spooled batch's last marked record. */
  commit?(mark: Mark): Promise<void>;
  /** The source's own counters for the progress line ("reconnects 1 · lost events 0"), or null. */
  progress?(): string | null;
}

/** A record made from an object (native sources): its line is written only when asked for (aggregation never asks). */
export function objectRecord<Mark>(record: object, mark: Mark | undefined): SourceRecord<Mark> {
  let line: string | undefined;
  return {
    get line() {
      return (line ??= JSON.stringify(record));
    },
    record,
    mark,
  };
}

export function stdinSource(input: NodeJS.ReadableStream): RecordSource<never> {
  return {
    name: "stdin",
    async *read(signal) {
      // Lines split here rather than by node:readline, whose per-line regular expression is a
      // measurable share of an aggregating collector's CPU.
      const chunks = (input as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
      // A stop ends the wait for the next chunk. (Not Promise.race with one long-lived promise: each
      // race would leave it a reaction holding its chunk, and every chunk read would stay in memory.)
      let wake: ((result: IteratorResult<Buffer | string>) => void) | null = null;
      const onAbort = () => wake?.({ done: true, value: undefined });
      signal.addEventListener("abort", onAbort, { once: true });
      const nextChunk = () =>
        new Promise<IteratorResult<Buffer | string>>((resolve, reject) => {
          wake = resolve;
          if (signal.aborted) resolve({ done: true, value: undefined });
          chunks.next().then(resolve, reject);
        });
      const decoder = new StringDecoder("utf8");
      let rest = "";
      for (;;) {
        const next = await nextChunk();
        wake = null;
        if (next.done) break;
        const text = rest + (typeof next.value === "string" ? next.value : decoder.write(next.value));
        let from = 0;
        for (let newline = text.indexOf("\n"); newline !== -1; newline = text.indexOf("\n", from)) {
          const line = text.charCodeAt(newline - 1) === 13 && newline > from ? text.slice(from, newline - 1) : text.slice(from, newline);
          from = newline + 1;
          if (!isBlank(line)) yield { line };
          if (signal.aborted) return;
        }
        rest = text.slice(from);
      }
      signal.removeEventListener("abort", onAbort);
      if (signal.aborted) {
        (input as Partial<Readable>).pause?.();
        return;
      }
      const last = rest + decoder.end();
      if (!isBlank(last)) yield { line: last.endsWith("\r") ? last.slice(0, -1) : last };
    },
  };
}

function isBlank(line: string): boolean {
  return line.length === 0 || (line.charCodeAt(0) <= 32 && line.trim() === "");
}

export interface FileSourceOptions {
  path: string;
  fromStart: boolean;
  spoolDir: string;
  onNotice: (message: string) => void;
}

/** A followed file (rotation survived); its position is saved in the spool directory. */
export function fileSource({ path, fromStart, spoolDir, onNotice }: FileSourceOptions): RecordSource<FilePosition> {
  return {
    name: path,
    async *read(signal) {
      const resume = await loadPosition(spoolDir, path);
      for await (const { line, position } of followFile({ path, resume, fromStart, signal, onNotice })) {
        yield { line, mark: position };
      }
    },
    commit: (position) => savePosition(spoolDir, path, position),
  };
}
