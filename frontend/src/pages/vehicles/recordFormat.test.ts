import { describe, expect, it } from "vitest";
import { gearPosition, recordIsStale, sentinelOf, spread } from "./recordFormat";

describe("gearPosition", () => {
  it("names neutral, reverse, drive and park and numbers the gears", () => {
    expect([0, 1, 6, 12, 13, 14, 15].map(gearPosition)).toEqual(["N", "1", "6", "12", "R", "D", "P"]);
  });
  it("has no position for a gear the vehicle marked invalid", () => {
    expect(gearPosition(null)).toBeNull();
  });
});

describe("sentinelOf", () => {
  it("finds the sentinel of a column and ignores anything else", () => {
    const sentinels = { insulation_kohm: "invalid", total_voltage_v: "abnormal", "cell_voltages_mv[3]": "invalid", odd: 5 };
    expect(sentinelOf(sentinels, "insulation_kohm")).toBe("invalid");
    expect(sentinelOf(sentinels, "total_voltage_v")).toBe("abnormal");
    expect(sentinelOf(sentinels, "odd")).toBeUndefined();
    expect(sentinelOf(sentinels, "soc_pct")).toBeUndefined();
    expect(sentinelOf(null, "soc_pct")).toBeUndefined();
    expect(sentinelOf("text", "soc_pct")).toBeUndefined();
  });
});

describe("spread", () => {
  it("is max minus min when both are known", () => {
    expect(spread(3412, 3398)).toBe(14);
    expect(spread(31, -5)).toBe(36);
    expect(spread(null, 3)).toBeNull();
    expect(spread(3, undefined)).toBeNull();
  });
});

describe("recordIsStale", () => {
  const shown = "2026-12-06T08:00:00+00:00";
  it("asks again for a newer record once the interval has passed", () => {
    expect(recordIsStale(shown, "2026-12-06T08:00:10+00:00", 0, 5000)).toBe(true);
    expect(recordIsStale(null, "2026-12-06T08:00:10+00:00", 0, 5000)).toBe(true);
  });
  it("does not ask for the same or an older record, nor too often", () => {
    expect(recordIsStale(shown, shown, 0, 60000)).toBe(false);
    expect(recordIsStale(shown, "2026-12-06T07:59:50+00:00", 0, 60000)).toBe(false);
    expect(recordIsStale(shown, "2026-12-06T08:00:10+00:00", 1000, 5000)).toBe(false);
    expect(recordIsStale(shown, null, 0, 60000)).toBe(false);
  });
});
