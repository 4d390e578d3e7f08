import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, parseCollectArgs, parseDuration, parseSize } from "./options";

const base = ["--server", "http://dropboard:3000", "--token", "t0k"];

describe("collect options", () => {
  it("fills sensible defaults and finds the ingest URL from the server address", () => {
    const options = parseCollectArgs(base, {});
    expect(options.ingestUrl.href).toBe("http://dropboard:3000/api/v1/ingest");
    expect(options).toMatchObject({ batchRecords: 1000, flushMs: 2000, spoolMaxBytes: 1024 ** 3, file: null, format: "auto" });
    expect(parseCollectArgs(["--server", "https://x.example/dropboard/", "--token", "t"], {}).ingestUrl.href).toBe("https://x.example/dropboard/api/v1/ingest");
    expect(parseCollectArgs(["--server", "http://x/api/v1/ingest"], { DROPBOARD_TOKEN: "env" }).token).toBe("env");
  });

  it("checks in every 30s by default, beside the ingest URL; --heartbeat off and --cluster", () => {
    expect(parseCollectArgs(base, {})).toMatchObject({ heartbeatMs: 30_000, cluster: null });
    expect(parseCollectArgs(base, {}).heartbeatUrl.href).toBe("http://dropboard:3000/api/v1/heartbeat");
    expect(parseCollectArgs(["--server", "https://x.example/dropboard/api/v1/ingest?x=1", "--token", "t"], {}).heartbeatUrl.href).toBe("https://x.example/dropboard/api/v1/heartbeat");
    expect(parseCollectArgs([...base, "--heartbeat", "off", "--cluster", "prod-eu"], {})).toMatchObject({ heartbeatMs: null, cluster: "prod-eu" });
    expect(parseCollectArgs([...base, "--heartbeat", "1m"], {}).heartbeatMs).toBe(60_000);
  });

  it("reads durations and sizes with units", () => {
    expect(parseDuration("500ms", "--flush")).toBe(500);
    expect(parseDuration("2", "--flush")).toBe(2000);
    expect(parseDuration("1.5m", "--flush")).toBe(90_000);
    expect(parseSize("512MiB", "--spool-max")).toBe(512 * 1024 ** 2);
    expect(parseSize("100MB", "--spool-max")).toBe(100e6);
    expect(parseSize("4096", "--spool-max")).toBe(4096);
  });

  it("reads a native source: --hubble-relay plaintext by default, TLS and mTLS with the --tls flags, --goldmane with mTLS", () => {
    const pem = path.resolve("package.json");
    expect(parseCollectArgs(base, {}).native).toBeNull();
    expect(parseCollectArgs([...base, "--hubble-relay", "hubble-relay.kube-system.svc:80"], {}).native).toEqual({ kind: "hubble-relay", address: "hubble-relay.kube-system.svc:80", tls: null });
    expect(parseCollectArgs([...base, "--hubble-relay", "10.0.0.7"], {}).native?.address).toBe("10.0.0.7:4245");
    expect(parseCollectArgs([...base, "--hubble-relay", "[fd00::7]:4245"], {}).native?.address).toBe("[fd00::7]:4245");
    expect(parseCollectArgs([...base, "--hubble-relay", "relay:443", "--tls"], {}).native?.tls).toEqual({ ca: null, cert: null, key: null, serverName: null });
    expect(parseCollectArgs([...base, "--hubble-relay", "relay:443", "--tls-ca", "package.json", "--tls-server-name", "instance.hubble-relay.cilium.io"], {}).native?.tls)
      .toEqual({ ca: pem, cert: null, key: null, serverName: "instance.hubble-relay.cilium.io" });
    expect(parseCollectArgs([...base, "--goldmane", "goldmane.calico-system.svc", "--tls-ca", pem, "--tls-cert", pem, "--tls-key", pem, "--from-start"], {}))
      .toMatchObject({ fromStart: true, native: { kind: "goldmane", address: "goldmane.calico-system.svc:7443", tls: { ca: pem, cert: pem, key: pem, serverName: null } } });
  });

  it("aggregates at the edge by default for the native sources, on request for stdin and files", () => {
    expect(parseCollectArgs(base, {})).toMatchObject({ aggregate: false, batchRecords: 1000, flushMs: 2000 });
    expect(parseCollectArgs([...base, "--file", "x.log", "--aggregate"], {})).toMatchObject({ aggregate: true, batchRecords: 2000, flushMs: 5000, examplesPerPathMinute: 10, dedupeWindowMs: 60_000 });
    expect(parseCollectArgs([...base, "--hubble-relay", "relay:80"], {}).aggregate).toBe(true);
    expect(parseCollectArgs([...base, "--hubble-relay", "relay:80", "--no-aggregate"], {})).toMatchObject({ aggregate: false, batchRecords: 1000 });
    expect(parseCollectArgs([...base, "--aggregate", "--examples", "0", "--dedupe-window", "2m", "--format", "hubble"], {})).toMatchObject({ examplesPerPathMinute: 0, dedupeWindowMs: 120_000 });
  });

  it.each([
    [[...base, "--aggregate", "--no-aggregate"], "--aggregate and --no-aggregate: give one"],
    [[...base, "--examples", "3"], "--examples applies with --aggregate"],
    [[...base, "--aggregate", "--examples", "101"], '--examples: "101" is not a whole number in 0..100'],
    [[...base, "--aggregate", "--dedupe-window", "10h"], '--dedupe-window: "10h" must be between 1s and 1h'],
    [[...base, "--aggregate", "--format", "cilium"], '--format: "cilium" is not a format'],
  ])("rejects the aggregation flags %j naming the problem", (args, message) => {
    expect(() => parseCollectArgs(args, {})).toThrow(message);
  });

  it.each([
    [[...base, "--tls"], "--tls and the --tls-* flags apply to --hubble-relay and --goldmane"],
    [[...base, "--file", "x.log", "--hubble-relay", "relay:80"], "--file and --hubble-relay are two inputs"],
    [[...base, "--hubble-relay", "relay:80", "--goldmane", "goldmane:7443"], "--hubble-relay and --goldmane are two inputs"],
    [[...base, "--hubble-relay", "http://relay:80"], '--hubble-relay: "http://relay:80" is not HOST:PORT'],
    [[...base, "--hubble-relay", "relay:99999"], '--hubble-relay: "relay:99999" is not HOST:PORT'],
    [[...base, "--hubble-relay", "relay:80", "--tls-cert", "package.json"], "--tls-cert and --tls-key go together"],
    [[...base, "--hubble-relay", "relay:80", "--tls-ca", "/nonexistent/ca.crt"], "--tls-ca: cannot read /nonexistent/ca.crt"],
    [[...base, "--goldmane", "goldmane:7443"], "--goldmane: Goldmane accepts only mTLS clients"],
  ])("rejects the native source flags %j naming the problem", (args, message) => {
    expect(() => parseCollectArgs(args, {})).toThrow(message);
  });

  it.each([
    [[], "--server is required"],
    [["--server", "http://x"], "--token is required"],
    [["--server", "not a url", "--token", "t"], '--server: "not a url" is not a URL'],
    [["--server", "ftp://x", "--token", "t"], "--server: ftp: is not http: or https:"],
    [[...base, "--batch", "0"], '--batch: "0" is not a whole number'],
    [[...base, "--flush", "soon"], '--flush: "soon" is not a duration'],
    [[...base, "--spool-max", "lots"], '--spool-max: "lots" is not a size'],
    [[...base, "--bogus"], "Unknown option '--bogus'"],
    [[...base, "--heartbeat", "10m"], '--heartbeat: "10m" must be between 100ms and 4m'],
    [[...base, "--heartbeat", "never"], '--heartbeat: "never" is not a duration'],
    [[...base, "--cluster", "prod eu"], '--cluster: "prod eu" is not a cluster name'],
  ])("rejects %j naming the problem", (args, message) => {
    expect(() => parseCollectArgs(args, {})).toThrow(ConfigError);
    expect(() => parseCollectArgs(args, {})).toThrow(message);
  });
});
