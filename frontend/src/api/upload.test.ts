import { describe, expect, it, vi } from "vitest";
import { uploadFile } from "./upload";

function answering(response: () => Response) {
  const calls: { input: RequestInfo | URL; init: RequestInit }[] = [];
  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ input, init: init ?? {} });
    return response();
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}
const cookies = () => "__Host-nevguard_csrf=tok";

describe("uploadFile", () => {
  it("posts the bytes with their type and the CSRF header, and reads the JSON answer", async () => {
    const { fetch, calls } = answering(() => new Response('{"id":"e1"}', { status: 201 }));
    const result = await uploadFile<{ id: string }>("/alarm-cases/c1/evidence?file_name=a.png", new Uint8Array([1, 2]).buffer, "image/png", { fetch, cookies });
    expect(result).toEqual({ ok: true, value: { id: "e1" } });
    const headers = new Headers(calls[0]?.init.headers);
    expect(calls[0]?.input).toBe("/alarm-cases/c1/evidence?file_name=a.png");
    expect(calls[0]?.init.method).toBe("POST");
    expect(headers.get("Content-Type")).toBe("image/png");
    expect(headers.get("X-CSRF-Token")).toBe("tok");
  });

  it("gives the API's stable code, message and request id", async () => {
    const body = '{"error":{"code":"PAYLOAD_TOO_LARGE","message":"evidence files are limited to 10 bytes","request_id":"r-1"}}';
    const { fetch } = answering(() => new Response(body, { status: 413 }));
    expect(await uploadFile("/x", new ArrayBuffer(20), "text/csv", { fetch, cookies })).toEqual({
      ok: false,
      code: "PAYLOAD_TOO_LARGE",
      message: "evidence files are limited to 10 bytes",
      requestId: "r-1",
    });
  });

  it("names a front server's refusal without an error document by its status", async () => {
    const tooLarge = answering(() => new Response("<html>413</html>", { status: 413 }));
    expect(await uploadFile("/x", new ArrayBuffer(1), "text/csv", { fetch: tooLarge.fetch, cookies })).toMatchObject({ ok: false, code: "PAYLOAD_TOO_LARGE", requestId: null });
    const badGateway = answering(() => new Response("bad gateway", { status: 502 }));
    expect(await uploadFile("/x", new ArrayBuffer(1), "text/csv", { fetch: badGateway.fetch, cookies })).toMatchObject({ ok: false, code: "NETWORK" });
  });

  it("turns a failed connection into NETWORK", async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError("failed to fetch");
    }) as unknown as typeof globalThis.fetch;
    expect(await uploadFile("/x", new ArrayBuffer(1), "text/csv", { fetch, cookies })).toMatchObject({ ok: false, code: "NETWORK" });
  });
});
