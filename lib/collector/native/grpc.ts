// The gRPC plumbing the native sources share: the vendored .proto files (proto/README.md says where
// each comes from) loaded with proto-loader, and the channel credentials for plaintext, TLS and mTLS.
// Certificates are read again on every connection, so a rotated certificate (cert-manager, Cilium's
// certgen CronJob, the Calico operator) is picked up without a restart.
import { readFile } from "node:fs/promises";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import type { TlsFiles } from "../options";
import { ProtoJson } from "./protojson";

export const PROTO_DIR = path.join(import.meta.dirname, "..", "proto");

export interface LoadedProto {
  definition: protoLoader.PackageDefinition;
  /** The gRPC objects (service constructors) of the definition. */
  grpcObject: grpc.GrpcObject;
  json: ProtoJson;
}

/**
 * Loads one vendored .proto file (with what it imports) the way the sources decode it: proto field
 * names, enums as names, zero values left out, as protojson prints them. `longs` is how 64-bit
 * integers come out: Hubble's parser reads numbers; protojson (Goldmane's FlowResult) prints strings.
 */
export function loadProto(root: "cilium" | "goldmane", file: string, longs: typeof Number | typeof String): LoadedProto {
  const definition = protoLoader.loadSync(file, {
    keepCase: true,
    enums: String,
    longs,
    bytes: String,
    defaults: false,
    arrays: false,
    oneofs: false,
    includeDirs: [path.join(PROTO_DIR, root)],
  });
  return { definition, grpcObject: grpc.loadPackageDefinition(definition), json: new ProtoJson(definition) };
}

/** A service constructor from a loaded package, by its full name ("observer.Observer"). */
export function serviceClient(grpcObject: grpc.GrpcObject, name: string): grpc.ServiceClientConstructor {
  let node: unknown = grpcObject;
  for (const part of name.split(".")) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== "function") throw new Error(`${name} is not in the loaded .proto files`);
  return node as grpc.ServiceClientConstructor;
}

/** Calls a server-streaming method of a client made from a loaded definition. */
export function serverStream<T>(client: grpc.Client, method: string, request: object): grpc.ClientReadableStream<T> {
  const call = (client as unknown as Record<string, unknown>)[method];
  if (typeof call !== "function") throw new Error(`the client has no method ${method}`);
  return call.call(client, request) as grpc.ClientReadableStream<T>;
}

export interface Connection {
  credentials: grpc.ChannelCredentials;
  options: grpc.ChannelOptions;
}

/**
 * Keepalive pings find a connection that died silently (a NAT or load balancer dropping an idle
 * stream: a quiet cluster drops nothing for hours). gRPC-Go servers (Hubble Relay, Goldmane) refuse
 * pings more often than every 5 minutes by default (GOAWAY too_many_pings), hence 6.
 */
const CHANNEL_OPTIONS: grpc.ChannelOptions = {
  "grpc.keepalive_time_ms": 360_000,
  "grpc.keepalive_timeout_ms": 20_000,
  "grpc.max_receive_message_length": 16 * 1024 * 1024,
};

export async function connection(tls: TlsFiles | null): Promise<Connection> {
  if (!tls) return { credentials: grpc.credentials.createInsecure(), options: CHANNEL_OPTIONS };
  const read = (file: string | null) => (file ? readFile(file) : Promise.resolve(null));
  const [ca, cert, key] = await Promise.all([read(tls.ca), read(tls.cert), read(tls.key)]);
  return {
    credentials: grpc.credentials.createSsl(ca, key, cert),
    options: tls.serverName ? { ...CHANNEL_OPTIONS, "grpc.ssl_target_name_override": tls.serverName, "grpc.default_authority": tls.serverName } : CHANNEL_OPTIONS,
  };
}

export function isServiceError(error: unknown): error is grpc.ServiceError {
  return error instanceof Error && typeof (error as Partial<grpc.ServiceError>).code === "number";
}

/** "UNAVAILABLE: No connection established ...", trimmed for a log line. */
export function describeError(error: unknown): string {
  if (isServiceError(error)) return `${grpc.status[error.code] ?? error.code}: ${error.details || error.message}`.slice(0, 300);
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}

/**
 * Status codes that no retry will fix: the address is not this service (UNIMPLEMENTED: --goldmane
 * pointed at a Hubble Relay, or the reverse), or the server refuses the request or the caller.
 * A TLS failure (bad CA, a client certificate the server does not accept) shows as UNAVAILABLE and
 * is retried: certificates get rotated, and the log says what failed.
 */
export const FATAL_CODES: ReadonlySet<grpc.status> = new Set([
  grpc.status.UNIMPLEMENTED,
  grpc.status.INVALID_ARGUMENT,
  grpc.status.UNAUTHENTICATED,
  grpc.status.PERMISSION_DENIED,
]);
