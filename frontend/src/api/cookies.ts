/** The value of one cookie in a `document.cookie` string, or null. */
export function readCookie(name: string, cookies: string): string | null {
  for (const part of cookies.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return null;
}

// The double-submit CSRF cookie the API sets at sign-in (docs/api.md, "Browser sessions").
export const CSRF_COOKIE = "__Host-nevguard_csrf";
export const CSRF_HEADER = "X-CSRF-Token";

export function csrfHeaders(cookies: string = document.cookie): Record<string, string> {
  const token = readCookie(CSRF_COOKIE, cookies);
  return token ? { [CSRF_HEADER]: token } : {};
}
