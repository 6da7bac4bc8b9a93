import type { DutyRotaInput } from "../../gql/graphql";

// The duty rota (docs/alarms.md, "Duty rota"): weekly shifts in the tenant's local time, weekday
// 0 = Monday, HH:MM; a shift whose end is not after its start runs past midnight into the next
// day (Sunday's into Monday). The API computes the gaps and who is on duty now; the editor
// repeats the gap computation on the form so a gap shows while the shifts are being edited.

export const WEEK_MINUTES = 7 * 1440;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export interface ShiftLike {
  weekday: number;
  start: string;
  end: string;
  people: readonly string[];
}

export function isTime(value: string | undefined | null): boolean {
  return typeof value === "string" && TIME.test(value);
}

function minutes(time: string): number {
  const [hours = 0, mins = 0] = time.split(":").map(Number);
  return hours * 60 + mins;
}

/** The shift ends on the next day (its end is not after its start; equal times are 24 hours). */
export function pastMidnight(start: string, end: string): boolean {
  return isTime(start) && isTime(end) && minutes(end) <= minutes(start);
}

/** The minutes of the week a shift covers, as [from, to) pieces (split at the week's end). */
export function shiftIntervals(shift: ShiftLike): [number, number][] {
  if (!isTime(shift.start) || !isTime(shift.end) || shift.weekday < 0 || shift.weekday > 6) return [];
  const from = shift.weekday * 1440 + minutes(shift.start);
  const to = shift.weekday * 1440 + minutes(shift.end) + (pastMidnight(shift.start, shift.end) ? 1440 : 0);
  if (to <= WEEK_MINUTES) return [[from, to]];
  return [
    [from, WEEK_MINUTES],
    [0, to - WEEK_MINUTES],
  ];
}

/** The minutes of the week no staffed shift covers, as [from, to) ranges in order. */
export function coverageGaps(shifts: readonly ShiftLike[]): [number, number][] {
  const covered = shifts
    .filter((shift) => shift.people.length > 0)
    .flatMap(shiftIntervals)
    .sort((a, b) => a[0] - b[0]);
  const gaps: [number, number][] = [];
  let reached = 0;
  for (const [from, to] of covered) {
    if (from > reached) gaps.push([reached, from]);
    reached = Math.max(reached, to);
  }
  if (reached < WEEK_MINUTES) gaps.push([reached, WEEK_MINUTES]);
  return gaps;
}

export interface RotaForm {
  people: { key: string; name: string; email?: string | null; phone?: string | null }[];
  shifts: { weekday: number; start: string; end: string; people: string[] }[];
  overrides: { start: string; end: string; people: string[] }[]; // ISO instants
  escalation: string[];
  timeZone: string;
}

export type RotaProblem =
  | { problem: "duplicateKey"; key: string }
  | { problem: "unknownPerson"; key: string }
  | { problem: "badTime"; shift: number }
  | { problem: "overrideOrder"; override: number };

/** What the API would refuse, found before sending, so the form can point at it. */
export function rotaProblems(form: RotaForm): RotaProblem[] {
  const problems: RotaProblem[] = [];
  const keys = new Set<string>();
  for (const person of form.people) {
    if (keys.has(person.key)) problems.push({ problem: "duplicateKey", key: person.key });
    keys.add(person.key);
  }
  const referenced = [...form.shifts.flatMap((shift) => shift.people), ...form.overrides.flatMap((override) => override.people), ...form.escalation];
  for (const key of new Set(referenced)) if (!keys.has(key)) problems.push({ problem: "unknownPerson", key });
  form.shifts.forEach((shift, index) => {
    if (!isTime(shift.start) || !isTime(shift.end)) problems.push({ problem: "badTime", shift: index });
  });
  form.overrides.forEach((override, index) => {
    if (!(Date.parse(override.end) > Date.parse(override.start))) problems.push({ problem: "overrideOrder", override: index });
  });
  return problems;
}

/** The rota as the mutation takes it: blanks become null, keys and names are trimmed. */
export function toRotaInput(form: RotaForm): DutyRotaInput {
  const text = (value: string | null | undefined) => value?.trim() || null;
  return {
    people: form.people.map((person) => ({ key: person.key.trim(), name: person.name.trim(), email: text(person.email), phone: text(person.phone) })),
    shifts: form.shifts.map((shift) => ({ weekday: shift.weekday, start: shift.start, end: shift.end, people: [...shift.people] })),
    overrides: form.overrides.map((override) => ({ start: override.start, end: override.end, people: [...override.people] })),
    escalation: [...form.escalation],
    timeZone: form.timeZone.trim(),
  };
}
