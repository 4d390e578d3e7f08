// A real Prometheus for tests (Debian's `prometheus` package; .ci/run installs it), on a free
// loopback port, scraping a small exporter the test serves: request counters per namespace and
// status code that grow at rates the test sets, so Prometheus itself evaluates error-ratio queries.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "../db/embedded";

export const PROMETHEUS_BIN = process.env.PROMETHEUS_PATH ?? "/usr/bin/prometheus";

/** Requests per second by namespace and status code, e.g. {"shop": {"200": 90, "503": 10}}. */
export type RequestRates = Record<string, Record<string, number>>;

export interface TestPrometheus {
  url: string;
  /** Changes the exporter's rates from now on (counters keep counting). */
  setRates(rates: RequestRates): void;
  stop(): Promise<void>;
}

/** Serves http_requests_total counters that grow at the given rates. */
async function startExporter(initial: RequestRates): Promise<{ port: number; setRates(rates: RequestRates): void; close(): Promise<void> }> {
  const totals = new Map<string, number>();
  let rates = initial;
  let last = Date.now();
  const advance = () => {
    const now = Date.now();
    const seconds = (now - last) / 1000;
    last = now;
    for (const [namespace, codes] of Object.entries(rates)) {
      for (const [code, rate] of Object.entries(codes)) {
        const key = `namespace="${namespace}",code="${code}"`;
        totals.set(key, (totals.get(key) ?? 0) + rate * seconds);
      }
    }
  };
  const server = http.createServer((_request, response) => {
    advance();
    const lines = ["# TYPE http_requests_total counter", ...[...totals].map(([labels, value]) => `http_requests_total{${labels}} ${value.toFixed(3)}`)];
    response.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(lines.join("\n") + "\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    setRates(next) {
      advance();
      rates = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function ready(url: string, child: ChildProcess, deadline: number): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited with code ${child.exitCode}`);
    // Ready, and at least three scrapes in: rate() needs two samples.
    const response = await fetch(`${url}/api/v1/query?query=${encodeURIComponent("count_over_time(up[1m])")}`).catch(() => null);
    const body = response?.ok ? ((await response.json()) as { data?: { result?: { value: [number, string] }[] } }) : null;
    if (Number(body?.data?.result?.[0]?.value[1] ?? 0) >= 3) return;
    if (Date.now() > deadline) throw new Error("prometheus did not scrape the test exporter within 30 s");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function startPrometheus(rates: RequestRates): Promise<TestPrometheus> {
  if (!existsSync(PROMETHEUS_BIN)) {
    throw new Error(`no Prometheus at ${PROMETHEUS_BIN}: install Debian's package (apt-get install prometheus; .ci/run does) or set PROMETHEUS_PATH`);
  }
  const exporter = await startExporter(rates);
  const dir = await mkdtemp(path.join(tmpdir(), "dropboard-prometheus-"));
  const config = path.join(dir, "prometheus.yml");
  await writeFile(
    config,
    `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ["127.0.0.1:${exporter.port}"]\n`,
  );
  const port = await freePort();
  const child = spawn(
    PROMETHEUS_BIN,
    [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    child.kill("SIGTERM");
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)));
    await exporter.close();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await ready(url, child, Date.now() + 30_000);
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${stderr}`);
  }
  return { url, setRates: exporter.setRates, stop };
}
