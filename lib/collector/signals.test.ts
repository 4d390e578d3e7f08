import { getEventListeners } from "node:events";
import { describe, expect, it } from "vitest";
import { requestSignal, sleep, wakeableSleep } from "./signals";

describe("waits on the stop signal", () => {
  it("leave no abort listener behind, however they end", async () => {
    const stop = new AbortController();
    for (let i = 0; i < 20; i++) await sleep(1, stop.signal);
    for (let i = 0; i < 20; i++) {
      const wait = wakeableSleep(60_000, stop.signal);
      wait.wake();
      await wait.done;
    }
    for (let i = 0; i < 20; i++) requestSignal(stop.signal, 60_000).dispose();
    expect(getEventListeners(stop.signal, "abort")).toHaveLength(0);
  });

  it("end at once when the collector stops, and a request's signal aborts with it", async () => {
    const stop = new AbortController();
    const wait = sleep(60_000, stop.signal);
    const request = requestSignal(stop.signal, 60_000);
    stop.abort();
    await wait;
    expect(request.signal.aborted).toBe(true);
    request.dispose();
    expect(requestSignal(stop.signal, 60_000).signal.aborted).toBe(true);
  });

  it("a request's signal aborts at its deadline, saying so", async () => {
    const request = requestSignal(new AbortController().signal, 20);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(request.signal.reason).toEqual(new Error("no answer within 0.02s"));
    request.dispose();
  });
});
