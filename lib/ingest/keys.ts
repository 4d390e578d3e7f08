// Deterministic identities: dedupe keys for events and ids for drop paths.
import { createHash } from "node:crypto";

type KeyPart = string | number | null | undefined;

function digest(parts: readonly KeyPart[]): Buffer {
  // \u001f never appears in the fields we hash, so ("a","bc") and ("ab","c") differ.
  return createHash("sha256")
    .update(parts.map((p) => (p === null || p === undefined ? "\u0000" : String(p))).join("\u001f"))
    .digest();
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
