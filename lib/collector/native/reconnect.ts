// A server stream that is opened again whenever it ends: the relay restarts, a node drains, the
// connection drops. Each (re)connection asks the source for a fresh request (its `since` moves with
// what was read), waits with exponential backoff and full jitter between attempts, and is logged
// once per kind of failure rather than once per attempt. A status no retry can fix stops the
// collector (FATAL_CODES); a stop request cancels the call in flight.
import type * as grpc from "@grpc/grpc-js";
import { backoffMs } from "../send";
import { sleep } from "../signals";
import { describeError, FATAL_CODES, isServiceError } from "./grpc";

export interface StreamSession<T> {
  call: grpc.ClientReadableStream<T>;
  /** Closes the channel the call ran on. */
  close(): void;
  /** What the request asked for, for the log ("since 2026-11-28T10:00:00Z"). */
  describe: string;
}

export interface ReconnectOptions<T> {
  /** "Hubble Relay at hubble-relay:80", for the log. */
  label: string;
  open(): Promise<StreamSession<T>>;
  signal: AbortSignal;
  retryBaseMs: number;
  retryMaxMs: number;
  log(line: string): void;
  /** Stops the collector for good (exit 2) with this message. */
  fatal(message: string): void;
}

export interface StreamState {
  /** Streams the server answered (headers or a first message): the first one, then each reconnection. */
  established: number;
  /** Consecutive failed attempts; 0 while a stream delivers. */
  failures: number;
}

/** A connection that lived this long was healthy even if quiet: the next backoff starts over. */
const HEALTHY_MS = 30_000;

export function reconnecting<T>(options: ReconnectOptions<T>): { messages: AsyncGenerator<T>; state: StreamState } {
  const state: StreamState = { established: 0, failures: 0 };
  return { messages: run(options, state), state };
}

async function* run<T>(options: ReconnectOptions<T>, state: StreamState): AsyncGenerator<T> {
  const { label, signal, log } = options;
  let lastKind = "";
  let attempts = 0;
  while (!signal.aborted) {
    let session: StreamSession<T> | null = null;
    let failure: unknown = null;
    let established = false;
    const openedAt = Date.now();
    try {
      session = await options.open();
      const { call, describe } = session;
      if (attempts++ === 0) log(`connecting to ${label}, ${describe}`);
      const answered = () => {
        if (established) return;
        established = true;
        if (state.established++ > 0 || state.failures > 0) {
          log(`${label}: streaming again, ${describe}${state.failures > 0 ? ` (after ${state.failures} failed attempt(s))` : ""}`);
        }
        state.failures = 0;
        lastKind = "";
      };
      const cancel = () => call.cancel();
      call.once("metadata", answered);
      signal.addEventListener("abort", cancel, { once: true });
      try {
        for await (const message of call as AsyncIterable<T>) {
          answered();
          yield message;
        }
      } finally {
        signal.removeEventListener("abort", cancel);
      }
    } catch (error) {
      failure = error;
    } finally {
      session?.close();
    }
    if (signal.aborted) return;
    if (isServiceError(failure) && FATAL_CODES.has(failure.code)) {
      options.fatal(`${label} refused the stream (${describeError(failure)}): is the address right (--hubble-relay is Hubble Relay's gRPC port, --goldmane Goldmane's)?`);
      return;
    }
    if (Date.now() - openedAt >= HEALTHY_MS) state.failures = 0;
    const reason = failure === null ? "the server ended the stream" : describeError(failure);
    const kind = reason.replace(/\d+/g, "#");
    const wait = backoffMs(state.failures++, options.retryBaseMs, options.retryMaxMs);
    if (kind !== lastKind) log(`${label}: ${reason}; reconnecting with backoff (next in ${(wait / 1000).toFixed(1)}s)`);
    lastKind = kind;
    await sleep(wait, signal);
  }
}
