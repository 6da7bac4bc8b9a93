import type { CombinedError } from "urql";

/** The API's stable error code of a failed operation (docs/api.md, "Errors"). */
export function errorCode(error: CombinedError): string {
  const fromGraphql = error.graphQLErrors.find((item) => typeof item.extensions?.code === "string");
  if (fromGraphql) return String(fromGraphql.extensions.code);
  const response = error.response as { status?: number } | undefined;
  if (response?.status === 401) return "UNAUTHENTICATED";
  if (error.networkError) return "NETWORK";
  return "UNKNOWN";
}

export function isUnauthenticated(error: CombinedError): boolean {
  return errorCode(error) === "UNAUTHENTICATED";
}

/** The request id the API quotes, so a user can hand it to support. */
export function requestIdOf(error: CombinedError): string | null {
  for (const item of error.graphQLErrors) {
    const id = item.extensions?.requestId;
    if (typeof id === "string") return id;
  }
  return null;
}
