import type { Permission } from "../gql/graphql";

/** What a screen or action needs: every listed permission (an empty list: any signed-in user). */
export type Requirement = readonly Permission[];

export function allows(granted: ReadonlySet<Permission>, needed: Requirement): boolean {
  return needed.every((permission) => granted.has(permission));
}

/** The permission as docs/auth.md writes it: VEHICLE_MODELS_READ -> vehicle_models:read. */
export function permissionLabel(permission: Permission): string {
  const lower = permission.toLowerCase();
  const cut = lower.lastIndexOf("_");
  return cut < 0 ? lower : `${lower.slice(0, cut)}:${lower.slice(cut + 1)}`;
}
