// Reads a request body within a byte cap, inflating gzip within the same cap (a gzip bomb
// stops at the cap, never in memory). Returns the text, or the 4xx reply to send.
import { gunzip } from "node:zlib";
import { promisify } from "node:util";
import { badRequest, payloadTooLarge, unsupportedMediaType } from "./errors";

const gunzipAsync = promisify(gunzip);

export type BodyRead = { text: string } | { response: Response };

export async function readBodyText(request: Request, maxBytes: number): Promise<BodyRead> {
  const encoding = (request.headers.get("content-encoding") ?? "identity").trim().toLowerCase();
  if (encoding !== "identity" && encoding !== "gzip" && encoding !== "x-gzip") {
    return { response: unsupportedMediaType(`Content-Encoding "${encoding}" is not supported: send gzip or no encoding`) };
  }
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (declared > maxBytes) return { response: tooLarge(maxBytes) };

  const raw = await readCapped(request, maxBytes);
  if (raw === null) return { response: tooLarge(maxBytes) };
  if (encoding === "identity") return { text: raw.toString("utf8") };
  try {
    const inflated = await gunzipAsync(raw, { maxOutputLength: maxBytes });
    return { text: inflated.toString("utf8") };
  } catch (error) {
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      return { response: payloadTooLarge(`inflated body is larger than ${maxBytes} bytes`) };
    }
    return { response: badRequest("body is not valid gzip (Content-Encoding: gzip)") };
  }
}

function tooLarge(maxBytes: number): Response {
  return payloadTooLarge(`body is larger than ${maxBytes} bytes; send smaller batches`);
}

/** The body's bytes, or null once it passes the cap (reading stops there). */
async function readCapped(request: Request, maxBytes: number): Promise<Buffer | null> {
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
