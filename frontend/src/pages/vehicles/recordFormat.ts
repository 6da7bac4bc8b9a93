// How the live panel reads a vehicle's newest record: the gear position, sentinels the vehicle
// sent instead of values, extremes spreads, and when a live update is worth a new read.

export type Sentinel = "abnormal" | "invalid";

/** GB/T 32960 §8.1 gear positions: 0 neutral, 1-12 gears, 13 reverse, 14 drive, 15 park. */
export function gearPosition(position: number | null): string | null {
  if (position === null) return null;
  if (position === 0) return "N";
  if (position === 13) return "R";
  if (position === 14) return "D";
  if (position === 15) return "P";
  return String(position);
}

/** The sentinel the vehicle sent for `column`, if it sent one (the API's `sentinels` map). */
export function sentinelOf(sentinels: unknown, column: string): Sentinel | undefined {
  if (typeof sentinels !== "object" || sentinels === null) return undefined;
  const value = (sentinels as Record<string, unknown>)[column];
  return value === "abnormal" || value === "invalid" ? value : undefined;
}

/** Max minus min, when both are known. */
export function spread(max: number | null | undefined, min: number | null | undefined): number | null {
  return max === null || max === undefined || min === null || min === undefined ? null : max - min;
}

/** Whether a live update should trigger a new read of the full record: only for a newer
 * collection time than the one shown, and at most once per `minIntervalMs`. */
export function recordIsStale(shown: string | null | undefined, newest: string | null | undefined, lastReadMs: number, nowMs: number, minIntervalMs = 5000): boolean {
  if (!newest) return false;
  if (shown && Date.parse(newest) <= Date.parse(shown)) return false;
  return nowMs - lastReadMs >= minIntervalMs;
}
