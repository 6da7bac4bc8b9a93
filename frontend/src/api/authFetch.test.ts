import { describe, expect, it, vi } from "vitest";
import { createAuthFetch } from "./authFetch";
import { csrfHeaders, readCookie } from "./cookies";

const ok = () => new Response("{}", { status: 200 });
const expired = () => new Response('{"errors":[{"extensions":{"code":"UNAUTHENTICATED"}}]}', { status: 401 });

function recorder(...answers: (() => Response)[]) {
  const calls: RequestInit[] = [];
  const queue = [...answers];
  const fetch = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
    calls.push(init ?? {});
    const next = queue.shift();
    if (!next) throw new Error("unexpected request");
    return next();
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, calls };
}

describe("cookies", () => {
  it("reads one cookie among others", () => {
    expect(readCookie("b", "a=1; b=x%3Dy; c=3")).toBe("x=y");
    expect(readCookie("d", "a=1")).toBeNull();
  });

  it("repeats the CSRF cookie in the header, or sends none", () => {
    expect(csrfHeaders("__Host-nevguard_csrf=tok123")).toEqual({ "X-CSRF-Token": "tok123" });
    expect(csrfHeaders("other=1")).toEqual({});
  });
});

describe("createAuthFetch", () => {
  it("sends same-origin credentials and the CSRF header", async () => {
    const { fetch, calls } = recorder(ok);
    const authFetch = createAuthFetch({ fetch, refresh: async () => true, onSignedOut: () => {}, cookies: () => "__Host-nevguard_csrf=abc" });
    const response = await authFetch("/graphql", { method: "POST", headers: { "Content-Type": "application/json" } });
    expect(response.status).toBe(200);
    expect(calls[0]?.credentials).toBe("same-origin");
    const headers = new Headers(calls[0]?.headers);
    expect(headers.get("X-CSRF-Token")).toBe("abc");
    expect(headers.get("Content-Type")).toBe("application/json");
  });

  it("renews an expired session once and retries", async () => {
    const { fetch } = recorder(expired, ok);
    const refresh = vi.fn(async () => true);
    const onSignedOut = vi.fn();
    const response = await createAuthFetch({ fetch, refresh, onSignedOut, cookies: () => "" })("/graphql", {});
    expect(response.status).toBe(200);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(onSignedOut).not.toHaveBeenCalled();
  });

  it("shares one refresh between concurrent requests", async () => {
    const { fetch } = recorder(expired, expired, ok, ok);
    let release: (value: boolean) => void = () => {};
    const refresh = vi.fn(() => new Promise<boolean>((resolve) => (release = resolve)));
    const authFetch = createAuthFetch({ fetch, refresh, onSignedOut: () => {}, cookies: () => "" });
    const both = Promise.all([authFetch("/graphql", {}), authFetch("/graphql", {})]);
    await vi.waitFor(() => expect(refresh).toHaveBeenCalled());
    release(true);
    const answers = await both;
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it("signs out when the session cannot be renewed", async () => {
    const { fetch } = recorder(expired);
    const onSignedOut = vi.fn();
    const response = await createAuthFetch({ fetch, refresh: async () => false, onSignedOut, cookies: () => "" })("/graphql", {});
    expect(response.status).toBe(401);
    expect(onSignedOut).toHaveBeenCalledTimes(1);
  });

  it("signs out when the retried request is refused again", async () => {
    const { fetch } = recorder(expired, expired);
    const onSignedOut = vi.fn();
    await createAuthFetch({ fetch, refresh: async () => true, onSignedOut, cookies: () => "" })("/graphql", {});
    expect(onSignedOut).toHaveBeenCalledTimes(1);
  });
});
