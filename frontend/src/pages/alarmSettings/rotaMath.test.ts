import { describe, expect, it } from "vitest";
import { coverageGaps, pastMidnight, rotaProblems, shiftIntervals, toRotaInput, WEEK_MINUTES, type RotaForm } from "./rotaMath";

const shift = (weekday: number, start: string, end: string, people = ["wang"]) => ({ weekday, start, end, people });

describe("shifts", () => {
  it("run past midnight when the end is not after the start", () => {
    expect(pastMidnight("20:00", "08:00")).toBe(true);
    expect(pastMidnight("08:00", "08:00")).toBe(true);
    expect(pastMidnight("08:00", "20:00")).toBe(false);
    expect(shiftIntervals(shift(0, "20:00", "08:00"))).toEqual([[1200, 1920]]);
  });

  it("wrap from Sunday night into Monday morning", () => {
    expect(shiftIntervals(shift(6, "22:00", "06:00"))).toEqual([
      [6 * 1440 + 1320, WEEK_MINUTES],
      [0, 360],
    ]);
  });

  it("cover nothing with an unreadable time", () => {
    expect(shiftIntervals(shift(0, "8:00", "20:00"))).toEqual([]);
    expect(shiftIntervals(shift(7, "08:00", "20:00"))).toEqual([]);
  });
});

describe("coverage gaps", () => {
  it("are the whole week without shifts, and shifts without people cover nothing", () => {
    expect(coverageGaps([])).toEqual([[0, WEEK_MINUTES]]);
    expect(coverageGaps([shift(0, "00:00", "00:00", [])])).toEqual([[0, WEEK_MINUTES]]);
  });

  it("close with day and night shifts every day, incl. the week wrap", () => {
    const week = [0, 1, 2, 3, 4, 5, 6].flatMap((day) => [shift(day, "08:00", "20:00"), shift(day, "20:00", "08:00")]);
    expect(coverageGaps(week)).toEqual([]);
    const noSundayNight = week.filter((item) => !(item.weekday === 6 && item.start === "20:00"));
    expect(coverageGaps(noSundayNight)).toEqual([
      [0, 480],
      [6 * 1440 + 1200, WEEK_MINUTES],
    ]);
  });

  it("merge overlapping shifts and find the hole between them", () => {
    expect(coverageGaps([shift(0, "00:00", "12:00"), shift(0, "06:00", "10:00"), shift(0, "13:00", "00:00")])).toEqual([
      [720, 780],
      [1440, WEEK_MINUTES],
    ]);
  });
});

describe("the rota form", () => {
  const form: RotaForm = {
    people: [
      { key: "wang", name: " 王工 ", email: "", phone: "13800000000" },
      { key: "li", name: "李工" },
    ],
    shifts: [shift(0, "08:00", "20:00")],
    overrides: [{ start: "2026-10-01T00:00:00.000Z", end: "2026-10-02T00:00:00.000Z", people: ["li"] }],
    escalation: ["li", "wang"],
    timeZone: "Asia/Shanghai",
  };

  it("becomes the mutation's input with blanks as null", () => {
    expect(toRotaInput(form).people).toEqual([
      { key: "wang", name: "王工", email: null, phone: "13800000000" },
      { key: "li", name: "李工", email: null, phone: null },
    ]);
    expect(rotaProblems(form)).toEqual([]);
  });

  it("names duplicate keys, unknown people, bad times and overrides that end before they start", () => {
    const broken: RotaForm = {
      ...form,
      people: [...form.people, { key: "li", name: "又一个" }],
      shifts: [shift(0, "8:00", "20:00", ["zhao"])],
      overrides: [{ start: "2026-10-02T00:00:00Z", end: "2026-10-01T00:00:00Z", people: [] }],
    };
    expect(rotaProblems(broken)).toEqual([
      { problem: "duplicateKey", key: "li" },
      { problem: "unknownPerson", key: "zhao" },
      { problem: "badTime", shift: 0 },
      { problem: "overrideOrder", override: 0 },
    ]);
  });
});
