import { describe, expect, it } from "vitest";
import { auditFilter, auditSearch, beforeOf, parseAuditParams, prettyJson } from "./auditMath";

describe("audit filters in the address", () => {
  it("round-trips through the address and drops empty values", () => {
    const params = parseAuditParams(new URLSearchParams("actor=user:7&operation=auth.login&result=DENIED&since=2025-03-01T00:00:00Z"));
    expect(params).toEqual({ actor: "user:7", operation: "auth.login", result: "DENIED", tenant: "", since: "2025-03-01T00:00:00.000Z", until: null });
    expect(auditSearch(params, "log").toString()).toBe("tab=log&actor=user%3A7&operation=auth.login&result=DENIED&since=2025-03-01T00%3A00%3A00.000Z");
  });

  it("ignores an unknown result and an unreadable time", () => {
    const params = parseAuditParams(new URLSearchParams("result=MAYBE&until=yesterday"));
    expect(params.result).toBeNull();
    expect(params.until).toBeNull();
  });

  it("asks for the tenant only in the provider's view", () => {
    const params = parseAuditParams(new URLSearchParams("tenant=acme&actor=%20%20"));
    expect(auditFilter(params, true)).toMatchObject({ tenant: "acme", actorId: null });
    expect(auditFilter(params, false).tenant).toBeNull();
  });
});

describe("paging and details", () => {
  it("turns the stacked cursor back into nextBefore", () => {
    expect(beforeOf(null)).toBeNull();
    expect(beforeOf("1234")).toBe(1234);
    expect(beforeOf("12a")).toBeNull();
  });

  it("prints details as indented JSON", () => {
    expect(prettyJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyJson(undefined)).toBe("null");
  });
});
