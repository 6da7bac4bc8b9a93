import { describe, expect, it } from "vitest";
import { minuteOfWeek, parseDates, parseRota, rotaInput } from "./settingsMath";

describe("holiday lists", () => {
  it("take lines, commas and spaces, sorted without repeats", () => {
    expect(parseDates("2026-10-01\n2026-10-02, 2026-10-01  2026-09-30")).toEqual({ dates: ["2026-09-30", "2026-10-01", "2026-10-02"], invalid: [] });
  });

  it("name what is not a calendar date", () => {
    expect(parseDates("2026-02-30 10/01 2026-13-01 2026-02-28")).toEqual({ dates: ["2026-02-28"], invalid: ["2026-02-30", "10/01", "2026-13-01"] });
  });
});

describe("duty rota documents", () => {
  const rota = {
    people: [{ key: "wang", name: "王工", email: "wang@oem.test", phone: null }],
    shifts: [{ weekday: 0, start: "08:00", end: "20:00", people: ["wang"] }],
    overrides: [],
    escalation: ["wang"],
    timeZone: "Asia/Shanghai",
  };

  it("round-trip through the JSON editor", () => {
    const text = JSON.stringify(rotaInput(rota));
    expect(parseRota(text)).toEqual({ rota: rotaInput(rota) });
  });

  it("refuse broken JSON and wrong shapes", () => {
    expect(parseRota("{")).toHaveProperty("error");
    expect(parseRota('{"people": 1, "shifts": []}')).toEqual({ error: "people and shifts must be lists" });
  });
});

describe("coverage gaps", () => {
  it("turn minutes of the week into weekday and time", () => {
    expect(minuteOfWeek(0)).toEqual({ weekday: 0, time: "00:00" });
    expect(minuteOfWeek(1440 * 6 + 23 * 60 + 59)).toEqual({ weekday: 6, time: "23:59" });
    expect(minuteOfWeek(10080)).toEqual({ weekday: 0, time: "00:00" });
  });
});
