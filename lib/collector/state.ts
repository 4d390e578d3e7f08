// What a collector run counts, how it ends, and the one way to stop it for good from inside
// (the server refused the token, or blames the configuration).

export interface CollectorStats {
  read: number;
  /** Records the server answered for (accepted, duplicate, ignored or rejected by it). */
  sent: number;
  accepted: number;
  duplicates: number;
  ignored: number;
  rejected: number;
  /** Records in batches the server refused whole (4xx), never to be retried. */
  refused: number;
  /** Records dropped from the spool to keep it under its bound. */
  dropped: number;
  retries: number;
}

export function emptyStats(): CollectorStats {
  return { read: 0, sent: 0, accepted: 0, duplicates: 0, ignored: 0, rejected: 0, refused: 0, dropped: 0, retries: 0 };
}

/** Configuration the server will never accept: fix it and start again. The spool is kept. */
export type FatalExit =
  /** 401/403: the token is missing, wrong or revoked, or too small a scope. */
  | { code: 2; reason: "unauthorized"; message: string }
  /** 400 blaming the setup: every record names a cluster the token may not write, or a bad --format. */
  | { code: 2; reason: "misconfigured"; message: string };

export type CollectorExit =
  /** All input read and sent. */
  | { code: 0; reason: "done" }
  /** Stopped by a signal; unsent batches stay spooled for the next run. */
  | { code: 0; reason: "stopped" }
  | FatalExit
  /** Input ended but the spool could not be sent within the drain timeout. */
  | { code: 3; reason: "undrained"; message: string };

/** The first fatal answer wins; its signal stops reading, sending and heartbeats. */
export class FatalStop {
  private readonly controller = new AbortController();
  private first: FatalExit | null = null;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get exit(): FatalExit | null {
    return this.first;
  }

  stop(exit: FatalExit): void {
    if (this.first) return;
    this.first = exit;
    this.controller.abort();
  }
}
