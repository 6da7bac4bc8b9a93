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

/** A coverage gap's minutes from Monday 00:00 as weekday index and HH:MM. */
export function minuteOfWeek(minute: number): { weekday: number; time: string } {
  const wrapped = ((minute % 10080) + 10080) % 10080;
  const weekday = Math.floor(wrapped / 1440);
  const inDay = wrapped % 1440;
  return { weekday, time: `${String(Math.floor(inDay / 60)).padStart(2, "0")}:${String(inDay % 60).padStart(2, "0")}` };
}
