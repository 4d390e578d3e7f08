"use client";
// Writes from the dashboard (rollouts, stages, acknowledgements) need a token of scope `write`;
// the user pastes one once and this browser keeps it (localStorage), never the server.
import { useSyncExternalStore } from "react";

const KEY = "dropboard.writeToken";
const listeners = new Set<() => void>();

function read(): string | null {
  try {
    return window.localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function saveWriteToken(token: string | null): void {
  if (token) window.localStorage.setItem(KEY, token.trim());
  else window.localStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

export function useWriteToken(): string | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      window.addEventListener("storage", listener);
      return () => {
        listeners.delete(listener);
        window.removeEventListener("storage", listener);
      };
    },
    read,
    () => null,
  );
}

export class WriteError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A write call with the stored token; a non-2xx reply becomes a WriteError with the API's message. */
export async function writeApi<T>(path: string, method: "POST" | "PUT" | "PATCH" | "DELETE", body?: unknown): Promise<T> {
  const token = read();
  if (!token) throw new WriteError(401, "paste a write token first (npm run dropboard -- token create --scope write)");
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return undefined as T;
  const reply = (await response.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!response.ok) throw new WriteError(response.status, reply?.error?.message ?? `${path} answered ${response.status}`);
  return reply as T;
}
