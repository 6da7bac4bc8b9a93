// The vehicle page's time range, kept in the address: a preset ("24h") that ends now, or a
// fixed from/to chosen in the picker.

export const PRESETS = { "1h": 1, "6h": 6, "24h": 24, "7d": 168, "30d": 720 } as const;
export type Preset = keyof typeof PRESETS;

export interface TimeRange {
  from: Date;
  to: Date;
  preset: Preset | null;
}

const HOUR = 3_600_000;
const MAX_SPAN = 366 * 24 * HOUR;

export function rangeFromSearch(search: URLSearchParams, now: Date, fallback: Preset = "24h"): TimeRange {
  const from = Date.parse(search.get("from") ?? "");
  const to = Date.parse(search.get("to") ?? "");
  if (Number.isFinite(from) && Number.isFinite(to) && from < to && to - from <= MAX_SPAN) {
    return { from: new Date(from), to: new Date(to), preset: null };
  }
  const preset = (search.get("range") ?? fallback) as Preset;
  const hours = PRESETS[preset] ?? PRESETS[fallback];
  return { from: new Date(now.getTime() - hours * HOUR), to: now, preset: preset in PRESETS ? preset : fallback };
}

export function searchWithRange(search: URLSearchParams, range: { preset: Preset } | { from: Date; to: Date }): URLSearchParams {
  const next = new URLSearchParams(search);
  next.delete("range");
  next.delete("from");
  next.delete("to");
  if ("preset" in range) next.set("range", range.preset);
  else {
    next.set("from", range.from.toISOString());
    next.set("to", range.to.toISOString());
  }
  return next;
}
