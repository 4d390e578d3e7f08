// Deterministic identities: dedupe keys for events and ids for drop paths.
import { hash } from "node:crypto";

type KeyPart = string | number | null | undefined;

/**
 * Fields as one text to hash, injectively. Ids and keys are stored, so the encoding they have
 * always had is kept where it was already unambiguous: fields joined by U+001F, a missing field as
 * U+0000. That join is ambiguous only when a field itself holds U+001F or U+0000 (a name may:
 * ("a\u001fb", "c") and ("a", "b\u001fc") join alike, and would share a drop path or dedupe key),
 * so such fields, and only those, are encoded as a JSON array of strings instead. JSON escapes every
 * control character, so that text holds no raw U+001F, while a joined text of two or more fields
 * holds at least one: the two encodings never meet. So ids and keys change only for records whose
 * fields contain U+001F or U+0000 (U+0000 cannot reach a stored name: validate.ts refuses it).
 * A single field needs no separator and is never re-encoded.
 */
export function fieldsText(parts: readonly KeyPart[]): string {
  // A plain loop: this runs once or twice per ingested event.
  let text = "";
  let ambiguous = false;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const field = p === null || p === undefined ? "\u0000" : typeof p === "string" ? p : String(p);
    if (typeof p === "string" && (p.includes("\u001f") || p.includes("\u0000"))) ambiguous = true;
    text += i === 0 ? field : `\u001f${field}`;
  }
  if (!ambiguous || parts.length < 2) return text;
  return JSON.stringify(parts.map((p) => (p === null || p === undefined ? null : String(p))));
}

// One-shot hash(): several times cheaper per call than createHash() on short inputs, and these
// run once or twice per ingested event.
function digest(parts: readonly KeyPart[]): Buffer {
  return hash("sha256", fieldsText(parts), "buffer");
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

/** The text a drop path's id hashes (fieldsText of its identity): equal texts, equal paths. */
export function dropPathText(path: DropPathIdentity): string {
  return fieldsText([
    path.cluster,
    path.direction,
    path.srcNamespace,
    path.srcWorkload,
    path.dstNamespace,
    path.dstWorkload,
    path.dstPort,
    path.protocol,
  ]);
}

/** A drop path's id: the first 63 bits of the hash of its identity, as a decimal string (a positive BIGINT). */
export function dropPathId(path: DropPathIdentity): string {
  return dropPathIdOfText(dropPathText(path));
}

/** The id of a drop path whose dropPathText is known. */
export function dropPathIdOfText(text: string): string {
  return (hash("sha256", text, "buffer").readBigUInt64BE(0) >> 1n).toString();
}

/**
 * What makes an event unique, as a UUID: md5 of its time (epoch ms), cluster and dedupe key.
 * The migration that made drop_event_keys computes the same in SQL; keep the two in step.
 */
export function eventIdentity(timeMs: number, cluster: string, key: string): string {
  // fieldsText: the SQL's join, unless the cluster or key holds U+001F (then JSON, which SQL never made).
  const hex = hash("md5", fieldsText([timeMs, cluster, key]), "hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
