import type { MessageKey } from "../i18n/catalogs";
import type { Requirement } from "../auth/permissions";

export interface NavItem {
  path: string;
  label: MessageKey;
  needs: Requirement;
}

export interface NavSection {
  key: string;
  label: MessageKey;
  items: readonly NavItem[];
}

// One table for the side menu and the route guards, so a page the menu hides is also refused
// when its address is typed in.
export const NAVIGATION: readonly NavSection[] = [
  {
    key: "monitor",
    label: "nav.monitor",
    items: [
      { path: "/dashboard", label: "nav.dashboard", needs: ["FLEET_READ"] },
      { path: "/vehicles", label: "nav.vehicles", needs: ["FLEET_READ"] },
      { path: "/alarms", label: "nav.alarms", needs: ["ALARMS_READ"] },
    ],
  },
  {
    key: "tenant",
    label: "nav.tenantAdmin",
    items: [
      { path: "/admin/registry", label: "nav.registry", needs: ["VEHICLES_READ", "VEHICLES_WRITE"] },
      { path: "/admin/users", label: "nav.users", needs: ["USERS_READ"] },
      { path: "/admin/invitations", label: "nav.invitations", needs: ["INVITATIONS_MANAGE"] },
      { path: "/admin/roles", label: "nav.roles", needs: ["USERS_READ"] },
      { path: "/admin/api-clients", label: "nav.apiClients", needs: ["API_CLIENTS_MANAGE"] },
      { path: "/admin/support", label: "nav.support", needs: ["SUPPORT_ACCESS_GRANT"] },
      { path: "/admin/alarm-rules", label: "nav.alarmRules", needs: ["ALARMS_CONFIGURE"] },
      { path: "/admin/alarm-handling", label: "nav.alarmHandling", needs: ["ALARMS_CONFIGURE"] },
      { path: "/admin/audit", label: "nav.audit", needs: ["AUDIT_READ"] },
    ],
  },
  {
    key: "provider",
    label: "nav.provider",
    items: [
      { path: "/provider/health", label: "nav.platformHealth", needs: ["PLATFORM_HEALTH_READ"] },
      { path: "/provider/tenants", label: "nav.tenants", needs: ["TENANTS_READ"] },
      { path: "/provider/accounts", label: "nav.platformAccounts", needs: ["PLATFORM_ACCOUNTS_READ"] },
      { path: "/provider/audit", label: "nav.platformAudit", needs: ["PLATFORM_AUDIT_READ"] },
    ],
  },
];

/** The sections and items a caller may open; sections left empty are dropped. */
export function visibleNavigation(can: (needs: Requirement) => boolean, sections: readonly NavSection[] = NAVIGATION): NavSection[] {
  return sections
    .map((section) => ({ ...section, items: section.items.filter((item) => can(item.needs)) }))
    .filter((section) => section.items.length > 0);
}

export function requirementOf(path: string, sections: readonly NavSection[] = NAVIGATION): Requirement | null {
  for (const section of sections) {
    for (const item of section.items) if (item.path === path) return item.needs;
  }
  return null;
}

/** Where a caller lands after signing in: the first page the menu shows them. */
export function homePath(can: (needs: Requirement) => boolean): string {
  return visibleNavigation(can)[0]?.items[0]?.path ?? "/profile";
}

export function selectedMenuKey(pathname: string, paths: readonly string[]): string | undefined {
  // The longest menu path that prefixes the address: /vehicles/VIN keeps "vehicles" selected.
  return [...paths].sort((a, b) => b.length - a.length).find((path) => pathname === path || pathname.startsWith(`${path}/`));
}
