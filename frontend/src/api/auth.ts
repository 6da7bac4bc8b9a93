import { csrfHeaders } from "./cookies";

/** A refusal from the sign-in routes, with the API's stable code and reason (docs/api.md). */
export class AuthError extends Error {
  constructor(
    readonly code: string,
    readonly reason: string | null,
    message: string,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = "AuthError";
  }
}

type Fetch = typeof fetch;

async function errorOf(response: Response): Promise<AuthError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const error = (body as { error?: Record<string, unknown> } | null)?.error;
  if (!error) return new AuthError("NETWORK", null, `HTTP ${response.status}`);
  const retry = error.retry_after_s;
  return new AuthError(
    String(error.code ?? "UNKNOWN"),
    typeof error.reason === "string" ? error.reason : null,
    String(error.message ?? ""),
    typeof retry === "number" ? retry : null,
  );
}

async function post(doFetch: Fetch, path: string, body: unknown): Promise<Response> {
  const response = await doFetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", ...csrfHeaders() },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw await errorOf(response);
  return response;
}

export interface Credentials {
  email: string;
  password: string;
  totp?: string;
}

export async function login(credentials: Credentials, doFetch: Fetch = fetch): Promise<void> {
  const body: Record<string, string> = { email: credentials.email, password: credentials.password, session: "cookie" };
  if (credentials.totp) body.totp = credentials.totp;
  await post(doFetch, "/auth/login", body);
}

export async function logout(doFetch: Fetch = fetch): Promise<void> {
  await post(doFetch, "/auth/logout", {});
}

export async function refreshSession(doFetch: Fetch = fetch): Promise<boolean> {
  try {
    await post(doFetch, "/auth/refresh", { session: "cookie" });
    return true;
  } catch {
    return false;
  }
}

/** Whether a failed login wants the second factor (the form then asks for the code). */
export function needsSecondFactor(error: unknown): boolean {
  return error instanceof AuthError && (error.reason === "auth.totp_required" || error.reason === "auth.totp_invalid");
}
