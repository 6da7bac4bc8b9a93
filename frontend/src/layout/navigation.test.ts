import { describe, expect, it } from "vitest";
import { allows, permissionLabel, type Requirement } from "../auth/permissions";
import type { Permission } from "../gql/graphql";
import { NAVIGATION, homePath, requirementOf, selectedMenuKey, visibleNavigation } from "./navigation";

const granting = (...permissions: Permission[]) => {
  const granted = new Set(permissions);
  return (needs: Requirement) => allows(granted, needs);
};

const paths = (can: (needs: Requirement) => boolean) => visibleNavigation(can).flatMap((section) => section.items.map((item) => item.path));

describe("navigation", () => {
  it("shows a viewer the monitoring pages only", () => {
    const viewer = granting("FLEET_READ", "VEHICLES_READ", "VEHICLE_STATE_READ", "ALARMS_READ");
    expect(paths(viewer)).toEqual(["/dashboard", "/vehicles", "/alarms"]);
    expect(homePath(viewer)).toBe("/dashboard");
  });

  it("shows provider staff the provider console and no tenant pages", () => {
    const staff = granting("TENANTS_READ", "PLATFORM_HEALTH_READ", "PLATFORM_ACCOUNTS_READ");
    expect(paths(staff)).toEqual(["/provider/health", "/provider/tenants", "/provider/accounts"]);
    expect(visibleNavigation(staff).map((section) => section.key)).toEqual(["provider"]);
  });

  it("shows the audit log to those who may read it: the tenant's slice or the platform's", () => {
    expect(paths(granting("AUDIT_READ"))).toEqual(["/admin/audit"]);
    expect(paths(granting("PLATFORM_AUDIT_READ"))).toEqual(["/provider/audit"]);
    expect(requirementOf("/provider/audit")).toEqual(["PLATFORM_AUDIT_READ"]);
  });

  it("sends someone with no page to the profile", () => {
    expect(paths(granting())).toEqual([]);
    expect(homePath(granting())).toBe("/profile");
  });

  it("knows every page's requirement and none for unknown paths", () => {
    for (const section of NAVIGATION) for (const item of section.items) expect(requirementOf(item.path)).toBe(item.needs);
    expect(requirementOf("/nowhere")).toBeNull();
  });

  it("selects the menu item of a nested address", () => {
    const all = ["/vehicles", "/admin/users", "/admin/user"];
    expect(selectedMenuKey("/vehicles/LNBSCB3F5JW123456", all)).toBe("/vehicles");
    expect(selectedMenuKey("/admin/users", all)).toBe("/admin/users");
    expect(selectedMenuKey("/vehiclesX", all)).toBeUndefined();
  });
});

describe("permissions", () => {
  it("needs every listed permission", () => {
    const granted = new Set<Permission>(["USERS_READ"]);
    expect(allows(granted, [])).toBe(true);
    expect(allows(granted, ["USERS_READ"])).toBe(true);
    expect(allows(granted, ["USERS_READ", "USERS_MANAGE"])).toBe(false);
  });

  it("writes permissions the way the docs do", () => {
    expect(permissionLabel("VEHICLE_MODELS_READ")).toBe("vehicle_models:read");
    expect(permissionLabel("SIGNING_KEYS_ROTATE")).toBe("signing_keys:rotate");
  });
});
