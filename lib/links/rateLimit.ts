// Short links need no token (sharing is part of reading), so their creation is capped per client:
// a fixed one-minute window per client address, and a cap on all clients together (a client that
// varies its X-Forwarded-For still cannot fill the table). Per server process, in memory.

export interface RateLimitDecision {
  allowed: boolean;
  /** When refused: seconds until the window that refused it ends. */
  retryAfterSeconds: number;
}

const WINDOW_MS = 60_000;
/** Clients remembered at most; past it, windows that ended are forgotten (and then the oldest). */
const MAX_CLIENTS = 10_000;

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private total = { start: 0, count: 0 };

  constructor(
    readonly perClient: number,
    readonly allClients: number,
  ) {}

  take(client: string, now: number): RateLimitDecision {
    const start = now - (now % WINDOW_MS);
    const retryAfterSeconds = Math.ceil((start + WINDOW_MS - now) / 1000);
    if (this.total.start !== start) this.total = { start, count: 0 };
    let window = this.windows.get(client);
    if (!window || window.start !== start) {
      this.forgetOld(start);
      window = { start, count: 0 };
      this.windows.set(client, window);
    }
    if (window.count >= this.perClient || this.total.count >= this.allClients) return { allowed: false, retryAfterSeconds };
    window.count++;
    this.total.count++;
    return { allowed: true, retryAfterSeconds: 0 };
  }

  private forgetOld(currentStart: number): void {
    if (this.windows.size < MAX_CLIENTS) return;
    for (const [key, window] of this.windows) if (window.start !== currentStart) this.windows.delete(key);
    for (const key of this.windows.keys()) {
      if (this.windows.size < MAX_CLIENTS) break;
      this.windows.delete(key);
    }
  }
}

/** Short links one client may create per minute (DROPBOARD_LINKS_PER_MINUTE); all clients together get ten times that. */
export function linksPerMinute(): number {
  const raw = process.env.DROPBOARD_LINKS_PER_MINUTE;
  if (raw === undefined || raw === "") return 30;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`DROPBOARD_LINKS_PER_MINUTE must be a positive integer, got "${raw}"`);
  return value;
}

const holder = globalThis as unknown as { dropboardLinkLimiter?: FixedWindowLimiter };

/** The process's limiter for short-link creation (rebuilt when the setting changes). */
export function shortLinkLimiter(): FixedWindowLimiter {
  const perClient = linksPerMinute();
  if (holder.dropboardLinkLimiter?.perClient !== perClient) holder.dropboardLinkLimiter = new FixedWindowLimiter(perClient, perClient * 10);
  return holder.dropboardLinkLimiter;
}

/**
 * Who is asking: the last address in X-Forwarded-For, which is the one the nearest proxy saw (or,
 * with no proxy, the one Next.js filled in from the socket when the client sent none).
 */
export function clientAddress(request: Request): string {
  const hops = (request.headers.get("x-forwarded-for") ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  return (hops[hops.length - 1] ?? "unknown").slice(0, 64);
}
