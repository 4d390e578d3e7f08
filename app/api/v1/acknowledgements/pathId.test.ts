// Found by params.fuzz.test.ts: a pathId that is not digits ("x", "1%FF") made the acknowledgement
// schema call BigInt() on it (zod runs a refinement even after the regex check failed), which threw
// out of the parse step: a 500 instead of a 400 naming the field.
import { beforeAll, describe, expect, it } from "vitest";
import { tokenFor } from "@/lib/testing/db";
import { DELETE, POST } from "./route";

let write: string;
beforeAll(async () => {
  write = await tokenFor("write", null);
});

const auth = () => ({ authorization: `Bearer ${write}`, "content-type": "application/json" });

describe("acknowledgements: a pathId that is not a drop path id", () => {
  it.each(["x", "12a", "1\uFFFD", " 1", "", "1e3", "-1"])("POST with pathId %j is a 400 naming pathId", async (pathId) => {
    const response = await POST(new Request("http://localhost/api/v1/acknowledgements", { method: "POST", headers: auth(), body: JSON.stringify({ cluster: "c", pathId, reason: "r" }) }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toContain('"pathId"');
  });

  it.each(["x", "1%FF", "%20", "99999999999999999999"])("DELETE with pathId=%s is a 400 naming pathId", async (pathId) => {
    const response = await DELETE(new Request(`http://localhost/api/v1/acknowledgements?cluster=c&pathId=${pathId}`, { method: "DELETE", headers: auth() }));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toContain('"pathId"');
  });
});
