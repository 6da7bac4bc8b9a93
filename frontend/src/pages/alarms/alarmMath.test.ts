import { describe, expect, it } from "vitest";
import { alarmFilter, alarmSearch, countByLevel, openSeconds, openedPerHour, parseAlarmParams, topCodes } from "./alarmMath";

const event = (code: string, peakLevel: number, openedAt: string, source = "VEHICLE") => ({ code, source, peakLevel, openedAt, nameZh: `名称${code}`, nameEn: `name ${code}` });

describe("alarm filters in the address", () => {
  it("round-trip and refuse strange values", () => {
    const params = { vin: "LSG", state: "OPEN" as const, source: "PLATFORM" as const, minLevel: 3 };
    expect(parseAlarmParams(alarmSearch(params))).toEqual(params);
    expect(parseAlarmParams(new URLSearchParams("state=GONE&source=x&level=7"))).toEqual({ vin: "", state: null, source: null, minLevel: null });
  });

  it("become the API's filter", () => {
    expect(alarmFilter({ vin: "", state: "OPEN", source: null, minLevel: 2 })).toEqual({ vin: null, state: "OPEN", source: null, minLevel: 2 });
  });
});

describe("alarm statistics", () => {
  const events = [
    event("b", 1, "2026-06-01T10:10:00Z"),
    event("a", 3, "2026-06-01T10:50:00Z"),
    event("a", 4, "2026-06-01T12:00:00Z"),
    event("c", 9, "2026-06-01T12:30:00Z"),
  ];

  it("count by peak level, clamping to 1..4", () => {
    expect(countByLevel(events)).toEqual([1, 0, 1, 2]);
  });

  it("keep a vehicle bit and a platform rule of one code apart", () => {
    const both = [event("soc_jump", 1, "2026-06-01T10:00:00Z"), event("soc_jump", 1, "2026-06-01T10:00:00Z", "PLATFORM")];
    expect(topCodes(both).map((entry) => entry.count)).toEqual([1, 1]);
  });

  it("rank the kinds", () => {
    expect(topCodes(events, 2).map((entry) => [entry.code, entry.count])).toEqual([
      ["a", 2],
      ["b", 1],
    ]);
  });

  it("bucket openings by hour", () => {
    expect(openedPerHour(events)).toEqual([
      [Date.parse("2026-06-01T10:00:00Z"), 2],
      [Date.parse("2026-06-01T12:00:00Z"), 2],
    ]);
  });

  it("time open events up to now and closed ones to their close", () => {
    const now = new Date("2026-06-01T10:01:40Z");
    expect(openSeconds({ openedAt: "2026-06-01T10:00:00Z" }, now)).toBe(100);
    expect(openSeconds({ openedAt: "2026-06-01T10:00:00Z", closedAt: "2026-06-01T10:00:30Z" }, now)).toBe(30);
  });
});
