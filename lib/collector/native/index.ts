// The native sources: a CNI's own gRPC API instead of a pipe or a file. Loaded only when one is
// asked for (`--hubble-relay`, `--goldmane`), so stdin and file runs do not load gRPC at all.
import type { CollectorOptions, NativeSource } from "../options";
import type { RecordSource } from "../source";
import type { FatalStop } from "../state";
import { goldmaneSource } from "./goldmane";
import { hubbleRelaySource } from "./hubbleRelay";

export interface NativeContext {
  source: NativeSource;
  options: Pick<CollectorOptions, "spoolDir" | "fromStart" | "retryBaseMs" | "retryMaxMs">;
  log: (line: string) => void;
  /** A stream the server refuses for good (wrong address, refused caller) stops the collector with exit 2. */
  fatal: FatalStop;
}

export function nativeSource(context: NativeContext): RecordSource<number> {
  return context.source.kind === "hubble-relay" ? hubbleRelaySource(context) : goldmaneSource(context);
}
