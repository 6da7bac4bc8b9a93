import type { Role } from "../gql/graphql";

// The roles a tenant admin assigns directly (docs/api.md: tenant_admin is invited instead, so
// the second factor is enrolled on acceptance).
export const ASSIGNABLE_TENANT_ROLES: readonly Role[] = ["SAFETY_ENGINEER", "OPERATOR", "ANALYST", "VIEWER"];
export const INVITABLE_TENANT_ROLES: readonly Role[] = ["TENANT_ADMIN", ...ASSIGNABLE_TENANT_ROLES];

// OAuth scopes of OEM systems (docs/auth.md, "API clients").
export const API_CLIENT_SCOPES: readonly string[] = [
  "fleet:read",
  "telemetry:read",
  "raw_frames:read",
  "registry:write",
  "alarms:read",
  "alarms:write",
  "exports",
];
