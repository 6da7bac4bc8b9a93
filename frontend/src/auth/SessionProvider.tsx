import { createContext, useContext, useMemo, type ReactNode } from "react";
import { Navigate, useLocation } from "react-router-dom";
import { useQuery } from "urql";
import { FullPageError, FullPageLoading } from "../components/PageState";
import type { MeQuery as MeResult, Permission } from "../gql/graphql";
import { isUnauthenticated } from "../api/errors";
import { allows, type Requirement } from "./permissions";
import { MeQuery } from "./queries";

export interface Session {
  me: MeResult["me"];
  can: (needed: Requirement) => boolean;
}

const SessionContext = createContext<Session | null>(null);

/** Loads who the caller is; without a session the app goes to the sign-in page. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: MeQuery, requestPolicy: "network-only" });
  const location = useLocation();
  const session = useMemo<Session | null>(() => {
    if (!data) return null;
    const granted = new Set<Permission>(data.me.permissions);
    return { me: data.me, can: (needed) => allows(granted, needed) };
  }, [data]);

  if (error && isUnauthenticated(error)) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  if (error) return <FullPageError error={error} onRetry={() => refetch()} />;
  if (fetching || !session) return <FullPageLoading />;
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error("useSession outside SessionProvider");
  return session;
}
