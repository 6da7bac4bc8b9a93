import { describe, expect, it } from "vitest";
import { minuteOfWeek, parseDates } from "./settingsMath";

describe("holiday lists", () => {
  it("take lines, commas and spaces, sorted without repeats", () => {
    expect(parseDates("2026-10-01\n2026-10-02, 2026-10-01  2026-09-30")).toEqual({ dates: ["2026-09-30", "2026-10-01", "2026-10-02"], invalid: [] });
  });

  it("name what is not a calendar date", () => {
    expect(parseDates("2026-02-30 10/01 2026-13-01 2026-02-28")).toEqual({ dates: ["2026-02-28"], invalid: ["2026-02-30", "10/01", "2026-13-01"] });
  });
});

describe("coverage gaps", () => {
  it("turn minutes of the week into weekday and time", () => {
    expect(minuteOfWeek(0)).toEqual({ weekday: 0, time: "00:00" });
    expect(minuteOfWeek(1440 * 6 + 23 * 60 + 59)).toEqual({ weekday: 6, time: "23:59" });
    expect(minuteOfWeek(10080)).toEqual({ weekday: 0, time: "00:00" });
  });
});
