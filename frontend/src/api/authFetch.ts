import { csrfHeaders } from "./cookies";

type Fetch = typeof fetch;

export interface AuthFetchOptions {
  fetch: Fetch;
  /** Renews the access cookie; resolves false when the session is over. */
  refresh: () => Promise<boolean>;
  /** Called once the session cannot be renewed, so the app can show the sign-in page. */
  onSignedOut: () => void;
  cookies?: () => string;
}

/**
 * The fetch the GraphQL client uses: same-origin cookies, the CSRF header on every request,
 * and one transparent renewal when the access token has expired (the API answers 401).
 * Concurrent requests that hit the expiry share one refresh, since a refresh token is spent
 * on use and presenting it twice would revoke the session.
 */
export function createAuthFetch(options: AuthFetchOptions): Fetch {
  let pending: Promise<boolean> | null = null;
  const cookies = options.cookies ?? (() => document.cookie);

  const send = (input: RequestInfo | URL, init: RequestInit | undefined): Promise<Response> => {
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(csrfHeaders(cookies()))) headers.set(name, value);
    return options.fetch(input, { ...init, headers, credentials: "same-origin" });
  };

  const renew = (): Promise<boolean> => {
    pending ??= options.refresh().finally(() => {
      pending = null;
    });
    return pending;
  };

  return async (input, init) => {
    const first = await send(input, init);
    if (first.status !== 401) return first;
    if (await renew()) {
      const second = await send(input, init);
      if (second.status !== 401) return second;
    }
    options.onSignedOut();
    return first;
  };
}
