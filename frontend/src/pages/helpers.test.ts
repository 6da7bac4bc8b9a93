import { describe, expect, it } from "vitest";
import { websocketUrl } from "../api/client";
import { grantActive } from "./admin/SupportGrantsPage";
import { safeNextPath } from "./login/nextPath";
import { quotaPercent, quotaStatus } from "./provider/quotas";

describe("safeNextPath", () => {
  it.each([
    ["/vehicles?state=online", "/vehicles?state=online"],
    [null, "/"],
    ["https://evil.example", "/"],
    ["//evil.example", "/"],
    ["/\\evil.example", "/"],
    ["/login?next=/x", "/"],
  ])("%j -> %j", (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });
});

describe("quotas", () => {
  it("computes the share used, capped at 100", () => {
    expect(quotaPercent(50, 200)).toBe(25);
    expect(quotaPercent(1, 3)).toBe(33.3);
    expect(quotaPercent(300, 200)).toBe(100);
    expect(quotaPercent(5, null)).toBeNull();
    expect(quotaPercent(5, 0)).toBeNull();
  });

  it("warns near the quota and fails at it", () => {
    expect(quotaStatus(null)).toBe("normal");
    expect(quotaStatus(50)).toBe("normal");
    expect(quotaStatus(95)).toBe("active");
    expect(quotaStatus(100)).toBe("exception");
  });
});

describe("support grants", () => {
  const now = new Date("2026-05-01T12:00:00Z");
  it("are active until revoked or expired", () => {
    expect(grantActive({ revokedAt: null, expiresAt: "2026-05-02T00:00:00Z" }, now)).toBe(true);
    expect(grantActive({ revokedAt: "2026-05-01T11:00:00Z", expiresAt: "2026-05-02T00:00:00Z" }, now)).toBe(false);
    expect(grantActive({ revokedAt: null, expiresAt: "2026-05-01T11:59:59Z" }, now)).toBe(false);
  });
});

describe("websocketUrl", () => {
  it("follows the page's scheme and host", () => {
    expect(websocketUrl({ protocol: "https:", host: "console.example:8443" })).toBe("wss://console.example:8443/graphql");
    expect(websocketUrl({ protocol: "http:", host: "127.0.0.1:18080" })).toBe("ws://127.0.0.1:18080/graphql");
  });
});
