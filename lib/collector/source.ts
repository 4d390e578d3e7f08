// Where the collector's records come from. Every source yields records into the same batching path
// (collect.ts): stdin, a followed file, or a CNI's own API (native/: Hubble Relay, Goldmane). A
// record is one line as the server's ingest reads it (a JSON object or an Antrea text line); the
// native sources also hand over the object the line was made from, for the collector to parse at
// the edge without reading it back. Each record may carry a mark, where reading stood after it:
// once its batch is spooled the source commits the mark, so a restarted collector resumes there.
import { createInterface } from "node:readline";
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

export function stdinSource(input: NodeJS.ReadableStream): RecordSource<never> {
  return {
    name: "stdin",
    async *read(signal) {
      const lines = createInterface({ input, crlfDelay: Infinity });
      signal.addEventListener("abort", () => lines.close(), { once: true });
      for await (const line of lines) {
        if (line.trim() !== "") yield { line };
      }
    },
  };
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
