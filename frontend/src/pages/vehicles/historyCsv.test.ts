import { describe, expect, it } from "vitest";
import { historyCsv } from "./historyCsv";
import type { SeriesPoint } from "./seriesMath";

const labels = { time: "时间", avg: "平均", min: "最小", max: "最大" };
const time = (ms: number) => new Date(ms).toISOString();
const columns = [
  { signal: "speed_kmh", title: "车速 (km/h)" },
  { signal: "soc_pct", title: "SOC, %" },
];

describe("historyCsv", () => {
  it("writes raw records one row per time, blanks for missing values, with a BOM", () => {
    const points: Record<string, SeriesPoint[]> = {
      speed_kmh: [[1000, 12.5, 12.5, 12.5], [2000, null, null, null]],
      soc_pct: [[2000, 80, 80, 80], [1000, 81, 81, 81]],
    };
    expect(historyCsv(points, columns, false, labels, time)).toBe(
      '\uFEFF时间,车速 (km/h),"SOC, %"\r\n' +
        "1970-01-01T00:00:01.000Z,12.5,81\r\n" +
        "1970-01-01T00:00:02.000Z,,80\r\n",
    );
  });

  it("writes avg, min and max columns for buckets", () => {
    const points: Record<string, SeriesPoint[]> = { speed_kmh: [[0, 10, 2, 30]] };
    const csv = historyCsv(points, columns.slice(0, 1), true, labels, time);
    expect(csv.split("\r\n")).toEqual(["\uFEFF时间,车速 (km/h) 平均,车速 (km/h) 最小,车速 (km/h) 最大", "1970-01-01T00:00:00.000Z,10,2,30", ""]);
  });

  it("has only the header for no data", () => {
    expect(historyCsv({}, columns, false, labels, time)).toBe('\uFEFF时间,车速 (km/h),"SOC, %"\r\n');
  });
});
