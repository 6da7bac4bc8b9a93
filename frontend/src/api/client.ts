import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "urql";
import { createClient as createWsClient } from "graphql-ws";
import { refreshSession } from "./auth";
import { createAuthFetch } from "./authFetch";

/** The websocket URL of the same origin: the access cookie goes with the handshake. */
export function websocketUrl(location: Pick<Location, "protocol" | "host">): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/graphql`;
}

export function createApiClient(onSignedOut: () => void): Client {
  const ws = createWsClient({
    url: websocketUrl(window.location),
    lazy: true,
    retryAttempts: 20,
    // A closed socket after an access-token expiry reconnects with the renewed cookie.
    shouldRetry: () => true,
  });
  return new Client({
    url: "/graphql",
    requestPolicy: "cache-and-network",
    preferGetMethod: false,
    fetch: createAuthFetch({ fetch: (input, init) => fetch(input, init), refresh: () => refreshSession(), onSignedOut }),
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? "" };
          return {
            subscribe(sink) {
              const dispose = ws.subscribe(input, sink);
              return { unsubscribe: dispose };
            },
          };
        },
      }),
    ],
  });
}
