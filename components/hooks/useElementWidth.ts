"use client";
// An element's width, followed as it resizes (0 until measured, and on the server).
import { useState, useSyncExternalStore, type RefObject } from "react";

export function useElementWidth(ref: RefObject<HTMLElement | null>): number {
  const [store] = useState(() => {
    let width = 0;
    return {
      subscribe(listener: () => void) {
        const element = ref.current;
        if (!element) return () => undefined;
        const observer = new ResizeObserver(([entry]) => {
          const next = Math.floor(entry?.contentRect.width ?? 0);
          if (next !== width) {
            width = next;
            listener();
          }
        });
        observer.observe(element);
        return () => observer.disconnect();
      },
      get: () => (width === 0 && ref.current ? (width = Math.floor(ref.current.getBoundingClientRect().width)) : width),
    };
  });
  return useSyncExternalStore(store.subscribe, store.get, () => 0);
}
