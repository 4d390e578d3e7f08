// For the native sources' tests: in-process gRPC servers that implement the real services from the
// vendored .proto files (Hubble Relay's observer.Observer/GetFlows, Goldmane's goldmane.Flows/Stream),
// holding what they have sent as the real ones do (a ring buffer, an hour of windows) so a client
// that comes back with `since` / `start_time_gte` gets the history again; and certificates made
// with the openssl CLI at test time (a CA, a server certificate, a client certificate).
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { loadProto, type LoadedProto } from "./grpc";

interface Timestamp {
  seconds: number;
  nanos: number;
}

export interface Certificates {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

/** A CA, a server certificate for `serverNames` (and 127.0.0.1), and a client certificate, all signed by the CA. */
export async function makeCertificates(serverNames: string[]): Promise<Certificates> {
  const dir = await mkdtemp(path.join(tmpdir(), "dropboard-certs-"));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=dropboard test CA");
  const issue = (name: string, subject: string, extensions: string) => {
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", subject);
    writeFileSync(file(`${name}.ext`), `${extensions}\n`);
    openssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}.ext`);
  };
  const altNames = [...serverNames.map((name) => `DNS:${name}`), "IP:127.0.0.1"].join(",");
  issue("server", `/CN=${serverNames[0] ?? "localhost"}`, `subjectAltName=${altNames}\nextendedKeyUsage=serverAuth`);
  issue("client", "/CN=dropboard-collector", "extendedKeyUsage=clientAuth");
  return { dir, ca: file("ca.crt"), serverCert: file("server.crt"), serverKey: file("server.key"), clientCert: file("client.crt"), clientKey: file("client.key") };
}

function serverCredentials(certificates: Certificates | null): grpc.ServerCredentials {
  if (!certificates) return grpc.ServerCredentials.createInsecure();
  const pair = { cert_chain: readFileSync(certificates.serverCert), private_key: readFileSync(certificates.serverKey) };
  // checkClientCertificate: mTLS, as Goldmane always and Hubble Relay with `tls.server.mtls` require.
  return grpc.ServerCredentials.createSsl(readFileSync(certificates.ca), [pair], true);
}

interface FollowedCall<Request> {
  request: Request;
  call: grpc.ServerWritableStream<Request, unknown>;
}

/** What both fakes share: a history, followers, requests seen, and a restart on the same port. */
export interface FakeStreamServer<Message, Request> {
  address: string;
  /** Every request received, in order. */
  requests: Request[];
  /** Adds messages to the history and sends the matching ones to every open stream. */
  publish(messages: Message[]): void;
  /** Adds messages to the history only (they happen while no client is connected). */
  remember(messages: Message[]): void;
  /** Cuts every connection (streams in flight end UNAVAILABLE) and stops listening. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

function fakeStreamServer<Message, Request>(setup: {
  proto: LoadedProto;
  service: string;
  method: string;
  certificates: Certificates | null;
  /** The history a new stream gets first (its since / start_time_gte), then whether a message matches the request. */
  backlog(history: Message[], request: Request): Message[];
  matches(message: Message, request: Request): boolean;
  /** JSON (as the collector writes it) to the message proto-loader encodes. */
  encode(message: Message): object;
}): FakeStreamServer<Message, Request> {
  const history: Message[] = [];
  const open = new Set<FollowedCall<Request>>();
  let server: grpc.Server | null = null;
  let port = 0;
  const send = (followed: FollowedCall<Request>, message: Message) => {
    if (setup.matches(message, followed.request)) followed.call.write(setup.encode(message));
  };
  let node: unknown = setup.proto.grpcObject;
  for (const part of setup.service.split(".")) node = (node as Record<string, unknown>)[part];
  const definition = (node as grpc.ServiceClientConstructor).service;

  const state: FakeStreamServer<Message, Request> = {
    address: "",
    requests: [],
    publish(messages) {
      history.push(...messages);
      for (const followed of open) for (const message of messages) send(followed, message);
    },
    remember(messages) {
      history.push(...messages);
    },
    async start() {
      const current = new grpc.Server();
      current.addService(definition, {
        [setup.method]: (call: grpc.ServerWritableStream<Request, unknown>) => {
          const followed = { request: call.request, call };
          state.requests.push(call.request);
          for (const message of setup.backlog(history, call.request)) send(followed, message);
          open.add(followed);
          call.on("cancelled", () => open.delete(followed));
          call.on("close", () => open.delete(followed));
        },
      });
      port = await new Promise<number>((resolve, reject) =>
        current.bindAsync(`127.0.0.1:${port}`, serverCredentials(setup.certificates), (error, bound) => (error ? reject(error) : resolve(bound))),
      );
      server = current;
      state.address = `127.0.0.1:${port}`;
    },
    async stop() {
      const current = server;
      server = null;
      for (const followed of open) followed.call.emit("error", { code: grpc.status.UNAVAILABLE, details: "relay shutting down" });
      open.clear();
      current?.forceShutdown();
    },
  };
  return state;
}

/** JSON as `hubble observe -o json` prints it: {"flow": {...}, "node_name", "time"}. */
export type HubbleResponseJson = { flow: Record<string, unknown>; node_name?: string; time?: string };

export interface HubbleRequest {
  follow?: boolean;
  since?: Timestamp;
  whitelist?: { verdict?: string[]; event_type?: { type?: number }[] }[];
}

const seconds = (time: unknown): number => (typeof time === "string" ? Date.parse(time) / 1000 : 0);

/** A Hubble Relay: GetFlows with follow, `since` over its buffer, and the whitelist applied as the relay does. */
export async function startFakeRelay(certificates: Certificates | null = null): Promise<FakeStreamServer<HubbleResponseJson, HubbleRequest>> {
  const proto = loadProto("cilium", "observer/observer.proto", Number);
  const sinceOf = (request: HubbleRequest) => (request.since ? (request.since.seconds ?? 0) + (request.since.nanos ?? 0) / 1e9 : null);
  const relay = fakeStreamServer<HubbleResponseJson, HubbleRequest>({
    proto,
    service: "observer.Observer",
    method: "GetFlows",
    certificates,
    // Without `since`, a follow request gets only flows from now on.
    backlog: (history, request) => {
      const since = sinceOf(request);
      return since === null ? [] : history.filter((message) => seconds(message.flow.time) >= since - 1e-9);
    },
    matches: (message, request) =>
      (request.whitelist ?? []).length === 0 ||
      (request.whitelist ?? []).some(
        (filter) =>
          (!filter.verdict?.length || filter.verdict.includes(String(message.flow.verdict))) &&
          (!filter.event_type?.length || filter.event_type.some((type) => type.type === ((message.flow.event_type as { type?: number } | undefined)?.type ?? 0))),
      ),
    encode: (message) => proto.json.fromJson(structuredClone(message), "observer.GetFlowsResponse"),
  });
  await relay.start();
  return relay;
}

export interface GoldmaneRequest {
  start_time_gte?: string;
}

export type FlowResultJson = { id: string; flow: Record<string, unknown> & { start_time: string } };

/** Goldmane: Flows.Stream with start_time_gte over its history (0: from now on). */
export async function startFakeGoldmane(certificates: Certificates): Promise<FakeStreamServer<FlowResultJson, GoldmaneRequest>> {
  const proto = loadProto("goldmane", "api.proto", String);
  const goldmane = fakeStreamServer<FlowResultJson, GoldmaneRequest>({
    proto,
    service: "goldmane.Flows",
    method: "Stream",
    certificates,
    backlog: (history, request) => {
      const from = Number(request.start_time_gte ?? 0);
      return from === 0 ? [] : history.filter((result) => Number(result.flow.start_time) >= from);
    },
    matches: () => true,
    encode: (message) => structuredClone(message),
  });
  await goldmane.start();
  return goldmane;
}
