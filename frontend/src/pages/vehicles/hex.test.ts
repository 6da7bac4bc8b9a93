import { describe, expect, it } from "vitest";
import { heatmapCells } from "./BatteryHeatmaps";
import { appendLive } from "./LivePanel";
import { durationText } from "./SessionsTable";
import { trackOf, viewOf } from "./TrackReplay";
import { commandHex, commandKey, hexDump } from "./hex";

describe("raw frames", () => {
  it("lays hex out as a dump with offsets", () => {
    const hex = "2323".concat("02".repeat(17));
    expect(hexDump(hex)).toBe("0000  23 23 02 02 02 02 02 02 02 02 02 02 02 02 02 02\n0010  02 02 02");
  });

  it("names the standard's commands and shows others as hex", () => {
    expect(commandKey(2)).toBe("frames.command.realtime");
    expect(commandKey(0x82)).toBeNull();
    expect(commandHex(0x82)).toBe("0x82");
  });
});

describe("battery heatmap cells", () => {
  it("skips gaps and finds the value range", () => {
    expect(heatmapCells([[3300, null], [3310, 3290]])).toEqual({ cells: [[0, 0, 3300], [1, 0, 3310], [1, 1, 3290]], min: 3290, max: 3310 });
    expect(heatmapCells([])).toEqual({ cells: [], min: 0, max: 0 });
  });
});

describe("track replay", () => {
  const history = {
    times: ["2026-06-01T00:00:00Z", "2026-06-01T00:00:10Z", "2026-06-01T00:00:20Z"],
    series: [
      { signal: "longitude_deg", values: [116.3, null, 116.5] },
      { signal: "latitude_deg", values: [39.9, 39.95, 40.1] },
      { signal: "speed_kmh", values: [30, 40, null] },
    ],
  };

  it("keeps the points with both coordinates", () => {
    expect(trackOf(history)).toEqual([
      { time: Date.parse("2026-06-01T00:00:00Z"), position: [116.3, 39.9], speed: 30 },
      { time: Date.parse("2026-06-01T00:00:20Z"), position: [116.5, 40.1], speed: null },
    ]);
  });

  it("centres the view on the track and zooms in on short ones", () => {
    const view = viewOf(trackOf(history));
    expect(view.center[0]).toBeCloseTo(116.4);
    expect(view.center[1]).toBeCloseTo(40.0);
    expect(view.zoom).toBeGreaterThan(100);
    expect(viewOf([])).toEqual({ center: [104.5, 36], zoom: 1.15 });
  });
});

describe("sessions", () => {
  it("writes durations as h:mm:ss, open sessions up to now", () => {
    expect(durationText("2026-06-01T00:00:00Z", "2026-06-01T01:02:03Z")).toBe("1:02:03");
    expect(durationText("2026-06-01T00:00:00Z", null, new Date("2026-06-01T00:00:59Z"))).toBe("0:00:59");
  });
});

describe("live updates", () => {
  const update = (collectedAt: string, online = true) => ({ vin: "V", online, collectedAt, lastFrameAt: null, receivedAt: null, socPct: 50, speedKmh: 10, alarmLevel: 0, chargingState: 3, longitudeDeg: null, latitudeDeg: null, positionValid: null });

  it("keeps a bounded list without repeating one report", () => {
    let list = appendLive(undefined, update("2026-06-01T00:00:00Z"), 2);
    list = appendLive(list, update("2026-06-01T00:00:00Z"), 2);
    expect(list).toHaveLength(1);
    list = appendLive(list, update("2026-06-01T00:00:00Z", false), 2);
    list = appendLive(list, update("2026-06-01T00:00:10Z"), 2);
    expect(list.map((item) => [item.collectedAt, item.online])).toEqual([
      ["2026-06-01T00:00:00Z", false],
      ["2026-06-01T00:00:10Z", true],
    ]);
  });
});
