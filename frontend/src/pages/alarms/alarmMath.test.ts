import { describe, expect, it } from "vitest";
import { alarmFilter, alarmSearch, countByLevel, parseAlarmParams } from "./alarmMath";

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
});
