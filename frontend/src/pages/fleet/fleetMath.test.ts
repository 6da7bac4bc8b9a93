import { describe, expect, it } from "vitest";
import { freshness, mapPoints, mergeEvents, silentLongerThan, tickerTime, type StateSample } from "./fleetMath";

const now = new Date("2026-06-01T12:00:00Z");
const sample = (vin: string, state: Partial<NonNullable<StateSample["latestState"]>> | null): StateSample => ({
  vin,
  latestState: state && { online: true, lastFrameAt: now.toISOString(), driving: false, charging: false, ...state },
});

describe("mapPoints", () => {
  it("keeps positions inside China with their alarm level", () => {
    const points = mapPoints([
      sample("A", { longitudeDeg: 116.4, latitudeDeg: 39.9, alarmLevel: 2 }),
      sample("B", { longitudeDeg: 121.5, latitudeDeg: 31.2, alarmLevel: null }),
      sample("C", { longitudeDeg: 0, latitudeDeg: 0 }),
      sample("D", { longitudeDeg: null, latitudeDeg: 31 }),
      sample("E", null),
    ]);
    expect(points).toEqual([
      [116.4, 39.9, 2, "A"],
      [121.5, 31.2, 0, "B"],
    ]);
  });
});

describe("freshness", () => {
  it("sorts online vehicles by the age of their last frame", () => {
    const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
    const result = freshness(
      [
        sample("A", { lastFrameAt: ago(5) }),
        sample("B", { lastFrameAt: ago(30) }),
        sample("C", { lastFrameAt: ago(31) }),
        sample("D", { lastFrameAt: ago(600) }),
        sample("E", { lastFrameAt: ago(1), online: false }),
        sample("F", null),
      ],
      now,
    );
    expect(result).toEqual({ current: 2, late: 1, stale: 1 });
  });
});

describe("silentLongerThan", () => {
  it("counts vehicles whose last frame is older than the days given", () => {
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();
    const fleet = [sample("A", { lastFrameAt: daysAgo(61) }), sample("B", { lastFrameAt: daysAgo(91) }), sample("C", { lastFrameAt: daysAgo(59) }), sample("D", null)];
    expect(silentLongerThan(fleet, 60, now)).toBe(2);
    expect(silentLongerThan(fleet, 90, now)).toBe(1);
  });
});

describe("mergeEvents", () => {
  const event = (vin: string, kind: string, at: string) => ({ vin, kind, at });
  it("puts live events over the stored ones, each once, newest first", () => {
    const stored = [event("A", "logout", "2026-06-01T11:59:00Z"), event("B", "login", "2026-06-01T11:58:00+00:00")];
    const live = [event("C", "login", "2026-06-01T12:00:05Z"), event("A", "logout", "2026-06-01T11:59:00.000Z")];
    expect(mergeEvents(live, stored, 10).map((e) => e.vin)).toEqual(["C", "A", "B"]);
  });
  it("keeps at most the newest `keep`", () => {
    const stored = [event("A", "login", "2026-06-01T11:00:00Z"), event("B", "login", "2026-06-01T10:00:00Z")];
    expect(mergeEvents([event("C", "logout", "2026-06-01T11:30:00Z")], stored, 2).map((e) => e.vin)).toEqual(["C", "A"]);
  });
});

describe("tickerTime", () => {
  const format = (value: string) => value.replace("T", " ").slice(0, 19);
  it("shows the clock time for today's events and the date for older ones", () => {
    expect(tickerTime("2026-06-01T08:09:10Z", now, format)).toBe("08:09:10");
    expect(tickerTime("2026-05-31T23:59:58Z", now, format)).toBe("05-31 23:59");
  });
});
