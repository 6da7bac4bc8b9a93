import { refreshSession } from "./auth";
import { createAuthFetch } from "./authFetch";

type Fetch = typeof fetch;

/** The outcome of a REST upload: the answer's JSON, or the API's stable code and request id. */
export type UploadResult<T> = { ok: true; value: T } | { ok: false; code: string; message: string; requestId: string | null };

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; request_id?: unknown };
}

async function failureOf(response: Response): Promise<UploadResult<never>> {
  let body: ErrorBody | null = null;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    body = null;
  }
  const error = body?.error;
  if (!error || typeof error.code !== "string") {
    // A proxy's page (502, 413 from a front server) instead of the API's error document.
    const code = response.status === 413 ? "PAYLOAD_TOO_LARGE" : response.status === 401 ? "UNAUTHENTICATED" : "NETWORK";
    return { ok: false, code, message: `HTTP ${response.status}`, requestId: null };
  }
  return {
    ok: false,
    code: error.code,
    message: typeof error.message === "string" ? error.message : "",
    requestId: typeof error.request_id === "string" ? error.request_id : null,
  };
}

/**
 * POST a file's bytes to one of the API's upload routes (`/vehicles/import`,
 * `/alarm-cases/{id}/evidence`; docs/api.md) with the session cookie, the CSRF header and
 * one session renewal, like the GraphQL client's requests.
 */
export async function uploadFile<T>(path: string, body: Blob | ArrayBuffer, contentType: string, options: { fetch?: Fetch; cookies?: () => string } = {}): Promise<UploadResult<T>> {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const send = createAuthFetch({ fetch: doFetch, refresh: () => refreshSession(doFetch), onSignedOut: () => undefined, cookies: options.cookies });
  let response: Response;
  try {
    response = await send(path, { method: "POST", headers: { "Content-Type": contentType }, body });
  } catch {
    return { ok: false, code: "NETWORK", message: "", requestId: null };
  }
  if (!response.ok) return failureOf(response);
  return { ok: true, value: (await response.json()) as T };
}
