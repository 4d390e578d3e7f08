import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { dropPathId, eventIdentity, fieldsText, hashedKey, type DropPathIdentity } from "./keys";

// The encoding every stored id and key was made with: fields joined by U+001F, a missing one as U+0000.
const legacyText = (parts: readonly (string | number | null)[]) => parts.map((p) => (p === null ? "\u0000" : String(p))).join("\u001f");
const legacyPathId = (p: DropPathIdentity) =>
  (createHash("sha256").update(legacyText([p.cluster, p.direction, p.srcNamespace, p.srcWorkload, p.dstNamespace, p.dstWorkload, p.dstPort, p.protocol])).digest().readBigUInt64BE(0) >> 1n).toString();

const path: DropPathIdentity = {
  cluster: "prod-eu", direction: "INGRESS", srcNamespace: "web", srcWorkload: "Deployment/frontend",
  dstNamespace: "payments", dstWorkload: null, dstPort: 8080, protocol: "TCP",
};

describe("identities", () => {
  it("keeps the ids and keys of names without U+001F as they were stored", () => {
    expect(dropPathId(path)).toBe(legacyPathId(path));
    expect(dropPathId({ ...path, srcNamespace: null, dstPort: null, cluster: "é ü/x" })).toBe(legacyPathId({ ...path, srcNamespace: null, dstPort: null, cluster: "é ü/x" }));
    const parts = [1796119200000, "prod-eu", null, "10.0.0.1", 443];
    expect(hashedKey("calico", parts)).toBe(`calico:${createHash("sha256").update(legacyText(parts)).digest().subarray(0, 16).toString("base64url")}`);
    expect(eventIdentity(1796119200000, "prod-eu", "hubble:abc")).toBe(
      createHash("md5").update("1796119200000\u001fprod-eu\u001fhubble:abc").digest("hex").replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5"),
    );
  });

  it("tells apart fields that differ only in where a U+001F (or U+0000) sits", () => {
    const a = { ...path, srcNamespace: "web\u001fx", srcWorkload: "api" };
    const b = { ...path, srcNamespace: "web", srcWorkload: "x\u001fapi" };
    expect(legacyPathId(a)).toBe(legacyPathId(b));
    expect(dropPathId(a)).not.toBe(dropPathId(b));
    // Nor does a name with U+001F take the id of a path whose fields happen to join to the same text.
    expect(dropPathId({ ...path, srcWorkload: "web\u001fx" })).not.toBe(dropPathId({ ...path, srcWorkload: "web" }));
    expect(eventIdentity(1, "a\u001fb", "c")).not.toBe(eventIdentity(1, "a", "b\u001fc"));
    expect(hashedKey("x", ["\u0000", "y"])).not.toBe(hashedKey("x", [null, "y"]));
    expect(fieldsText(["a\u001fb", null])).toBe('["a\\u001fb",null]');
  });
});
