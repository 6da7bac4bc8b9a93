import { describe, expect, it } from "vitest";
import { needsDetail, pointBudget, seriesOf, spliceWindow, type SeriesPoint } from "./seriesMath";

const t0 = Date.parse("2026-06-01T00:00:00Z");
const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();

describe("seriesOf", () => {
  it("reads raw rows as value, min and max at once", () => {
    const history = { times: [at(0), at(1)], series: [{ signal: "speed_kmh", values: [10, null] }] };
    expect(seriesOf(history, "speed_kmh")).toEqual([
      [t0, 10, 10, 10],
      [t0 + 60_000, null, null, null],
    ]);
  });

  it("reads buckets as avg with their min and max", () => {
    const history = { times: [at(0)], series: [{ signal: "soc_pct", values: null, avg: [50.5], min: [50], max: [51] }] };
    expect(seriesOf(history, "soc_pct")).toEqual([[t0, 50.5, 50, 51]]);
  });

  it("answers nothing for a signal not asked", () => {
    expect(seriesOf({ times: [at(0)], series: [] }, "speed_kmh")).toEqual([]);
  });
});

describe("progressive loading", () => {
  const coarse: SeriesPoint[] = [0, 60, 120, 180].map((m) => [t0 + m * 60_000, m, m, m]);
  const fine: SeriesPoint[] = [60, 70, 80, 90, 100, 110, 130].map((m) => [t0 + m * 60_000, -m, -m, -m]);

  it("splices the detail into the overview's window", () => {
    const merged = spliceWindow(coarse, fine, t0 + 60 * 60_000, t0 + 120 * 60_000);
    expect(merged.map((point) => point[1])).toEqual([0, -60, -70, -80, -90, -100, -110, 120, 180]);
  });

  it("asks for detail only where the overview is thin", () => {
    expect(needsDetail(coarse, t0, t0 + 200 * 60_000, 8)).toBe(false);
    expect(needsDetail(coarse, t0 + 60 * 60_000, t0 + 61 * 60_000, 800)).toBe(true);
  });

  it("budgets points by chart width within the cap", () => {
    expect(pointBudget(100)).toBe(200);
    expect(pointBudget(1600)).toBe(800);
    expect(pointBudget(100_000, 5000)).toBe(5000);
  });
});
