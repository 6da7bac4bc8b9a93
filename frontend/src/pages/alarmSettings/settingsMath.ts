import type { DutyRotaInput } from "../../gql/graphql";

/** Dates typed one per line or separated by commas/spaces; the ones that are not YYYY-MM-DD
 * calendar dates are returned apart so the form can name them. */
export function parseDates(text: string): { dates: string[]; invalid: string[] } {
  const dates: string[] = [];
  const invalid: string[] = [];
  for (const part of text.split(/[\s,，]+/).filter(Boolean)) {
    const valid = /^\d{4}-\d{2}-\d{2}$/.test(part) && !Number.isNaN(Date.parse(`${part}T00:00:00Z`)) && new Date(`${part}T00:00:00Z`).toISOString().startsWith(part);
    (valid ? dates : invalid).push(part);
  }
  return { dates: [...new Set(dates)].sort(), invalid };
}

interface RotaLike {
  people: readonly { key: string; name: string; email?: string | null; phone?: string | null }[];
  shifts: readonly { weekday: number; start: string; end: string; people: readonly string[] }[];
  overrides: readonly { start: string; end: string; people: readonly string[] }[];
  escalation: readonly string[];
  timeZone: string;
}

/** The rota as the mutation takes it (what the JSON editor starts from). */
export function rotaInput(rota: RotaLike): DutyRotaInput {
  return {
    people: rota.people.map((person) => ({ key: person.key, name: person.name, email: person.email ?? null, phone: person.phone ?? null })),
    shifts: rota.shifts.map((shift) => ({ weekday: shift.weekday, start: shift.start, end: shift.end, people: [...shift.people] })),
    overrides: rota.overrides.map((override) => ({ start: override.start, end: override.end, people: [...override.people] })),
    escalation: [...rota.escalation],
    timeZone: rota.timeZone,
  };
}

/** A JSON rota document typed by an admin, checked for the shape the API takes. */
export function parseRota(text: string): { rota: DutyRotaInput } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: error instanceof Error ? error.message : "invalid JSON" };
  }
  const rota = value as Partial<DutyRotaInput> | null;
  if (!rota || typeof rota !== "object" || !Array.isArray(rota.people) || !Array.isArray(rota.shifts)) return { error: "people and shifts must be lists" };
  return { rota: { people: rota.people, shifts: rota.shifts, overrides: rota.overrides ?? [], escalation: rota.escalation ?? [], timeZone: rota.timeZone ?? "Asia/Shanghai" } };
}

/** A coverage gap's minutes from Monday 00:00 as weekday index and HH:MM. */
export function minuteOfWeek(minute: number): { weekday: number; time: string } {
  const wrapped = ((minute % 10080) + 10080) % 10080;
  const weekday = Math.floor(wrapped / 1440);
  const inDay = wrapped % 1440;
  return { weekday, time: `${String(Math.floor(inDay / 60)).padStart(2, "0")}:${String(inDay % 60).padStart(2, "0")}` };
}
