// Deterministic identities: dedupe keys for events and ids for drop paths.
import { hash } from "node:crypto";

type KeyPart = string | number | null | undefined;

// One-shot hash(): several times cheaper per call than createHash() on short inputs, and these
// run once or twice per ingested event.
function digest(parts: readonly KeyPart[]): Buffer {
  // \u001f never appears in the fields we hash, so ("a","bc") and ("ab","c") differ.
  return hash("sha256", parts.map((p) => (p === null || p === undefined ? "\u0000" : String(p))).join("\u001f"), "buffer");
}

/** A dedupe key from a record's identifying fields, prefixed by its source ("hubble:..."). */
export function hashedKey(source: string, parts: readonly KeyPart[]): string {
  return `${source}:${digest(parts).subarray(0, 16).toString("base64url")}`;
}

export interface DropPathIdentity {
  cluster: string;
  direction: string;
  srcNamespace: string | null;
  srcWorkload: string | null;
  dstNamespace: string | null;
  dstWorkload: string | null;
  dstPort: number | null;
  protocol: string;
}

/** A drop path's id: the first 63 bits of the hash of its identity, as a decimal string (a positive BIGINT). */
export function dropPathId(path: DropPathIdentity): string {
  const bytes = digest([
    path.cluster,
    path.direction,
    path.srcNamespace,
    path.srcWorkload,
    path.dstNamespace,
    path.dstWorkload,
    path.dstPort,
    path.protocol,
  ]);
  return (bytes.readBigUInt64BE(0) >> 1n).toString();
}

/**
 * What makes an event unique, as a UUID: md5 of its time (epoch ms), cluster and dedupe key.
 * The migration that made drop_event_keys computes the same in SQL; keep the two in step.
 */
export function eventIdentity(timeMs: number, cluster: string, key: string): string {
  const hex = hash("md5", `${timeMs}\u001f${cluster}\u001f${key}`, "hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
