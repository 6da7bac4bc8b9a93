import { describe, expect, it } from "vitest";
import { rangeFromSearch, searchWithRange } from "./timeRange";

const now = new Date("2026-06-01T12:00:00Z");

describe("time range in the address", () => {
  it("defaults to the last 24 hours", () => {
    const range = rangeFromSearch(new URLSearchParams(), now);
    expect(range).toEqual({ from: new Date("2026-05-31T12:00:00Z"), to: now, preset: "24h" });
  });

  it("reads a preset and a fixed range", () => {
    expect(rangeFromSearch(new URLSearchParams("range=7d"), now).from).toEqual(new Date("2026-05-25T12:00:00Z"));
    const fixed = rangeFromSearch(new URLSearchParams("from=2026-05-01T00:00:00Z&to=2026-05-02T00:00:00Z"), now);
    expect(fixed).toEqual({ from: new Date("2026-05-01T00:00:00Z"), to: new Date("2026-05-02T00:00:00Z"), preset: null });
  });

  it("falls back for nonsense", () => {
    expect(rangeFromSearch(new URLSearchParams("range=forever"), now).preset).toBe("24h");
    expect(rangeFromSearch(new URLSearchParams("from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z"), now).preset).toBe("24h");
    expect(rangeFromSearch(new URLSearchParams("from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z"), now).preset).toBe("24h");
  });

  it("writes either form and keeps other parameters", () => {
    const base = new URLSearchParams("tab=charts&range=1h");
    expect(searchWithRange(base, { preset: "6h" }).toString()).toBe("tab=charts&range=6h");
    const fixed = searchWithRange(base, { from: new Date("2026-05-01T00:00:00Z"), to: new Date("2026-05-02T00:00:00Z") });
    expect(fixed.get("tab")).toBe("charts");
    expect(fixed.get("range")).toBeNull();
    expect(fixed.get("from")).toBe("2026-05-01T00:00:00.000Z");
  });
});
