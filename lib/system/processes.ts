// Small process helpers shared by the embedded database and the collector's spool lock.

/** True when a process with this pid exists (EPERM: it exists, owned by someone else). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Runs `work` every `intervalMs` (the first time after `firstRunMs`), never two at once; failures
 * are logged, not thrown. Does not keep the process alive.
 */
export function startBackgroundLoop(name: string, intervalMs: number, work: () => Promise<unknown>, firstRunMs = intervalMs): { stop(): void } {
  let running = false;
  const tick = () => {
    if (running) return;
    running = true;
    work()
      .catch((error: unknown) => console.error(`[${name}] failed:`, error))
      .finally(() => {
        running = false;
      });
  };
  const first = setTimeout(tick, firstRunMs);
  const timer = setInterval(tick, intervalMs);
  first.unref();
  timer.unref();
  return {
    stop: () => {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
