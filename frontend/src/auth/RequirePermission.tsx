import type { ReactNode } from "react";
import { Forbidden } from "../components/PageState";
import type { Requirement } from "./permissions";
import { useSession } from "./SessionProvider";

export function RequirePermission({ needs, children }: { needs: Requirement; children: ReactNode }) {
  const { can } = useSession();
  return can(needs) ? <>{children}</> : <Forbidden />;
}
