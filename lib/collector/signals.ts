// Waits and request deadlines that end early when the collector stops. Each one removes the abort
// listener it added when it ends, so a long-lived stop signal never collects listeners (one per
// idle wait would pass Node's limit of 10 within seconds: MaxListenersExceededWarning).

export interface Sleep {
  /** Resolves after `ms`, on `wake()`, or when `signal` aborts, whichever comes first. */
  done: Promise<void>;
  wake(): void;
}

export function wakeableSleep(ms: number, signal: AbortSignal): Sleep {
  let wake = () => {};
  const done = new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(finish, ms);
    signal.addEventListener("abort", finish, { once: true });
    wake = finish;
    function finish() {
      clearTimeout(timer);
      signal.removeEventListener("abort", finish);
      resolve();
    }
  });
  return { done, wake: () => wake() };
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return wakeableSleep(ms, signal).done;
}

export interface RequestSignal {
  /** Aborts after `timeoutMs` or when the stop signal aborts. */
  signal: AbortSignal;
  /** Call when the request is over: clears the timer and the listener on the stop signal. */
  dispose(): void;
}

export function requestSignal(stop: AbortSignal, timeoutMs: number): RequestSignal {
  const controller = new AbortController();
  const onStop = () => controller.abort(new Error("stopping"));
  const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs / 1000}s`)), timeoutMs);
  if (stop.aborted) onStop();
  else stop.addEventListener("abort", onStop, { once: true });
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer);
      stop.removeEventListener("abort", onStop);
    },
  };
}
