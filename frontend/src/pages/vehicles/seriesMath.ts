// Turning the API's column-wise history (docs/fleet-data.md, "Signal history") into chart
// points, and the progressive loading of long ranges: a coarse overview of the whole range,
// and a finer read of the window the user zooms into, spliced in.

export interface HistoryLike {
  times: readonly string[];
  series: readonly {
    signal: string;
    values?: readonly (number | null)[] | null;
    avg?: readonly (number | null)[] | null;
    min?: readonly (number | null)[] | null;
    max?: readonly (number | null)[] | null;
  }[];
}

/** [time ms, value, min, max]: raw rows have value = min = max. */
export type SeriesPoint = [number, number | null, number | null, number | null];

export function seriesOf(history: HistoryLike, signal: string): SeriesPoint[] {
  const series = history.series.find((item) => item.signal === signal);
  if (!series) return [];
  const middle = series.values ?? series.avg ?? [];
  const low = series.values ?? series.min ?? middle;
  const high = series.values ?? series.max ?? middle;
  return history.times.map((time, index) => [Date.parse(time), middle[index] ?? null, low[index] ?? null, high[index] ?? null]);
}

/** The overview's points outside [from, to) and the detail's inside it, in time order. */
export function spliceWindow(overview: readonly SeriesPoint[], detail: readonly SeriesPoint[], from: number, to: number): SeriesPoint[] {
  const before = overview.filter((point) => point[0] < from);
  const inside = detail.filter((point) => point[0] >= from && point[0] < to);
  const after = overview.filter((point) => point[0] >= to);
  return [...before, ...inside, ...after];
}

/** How many points to ask for: about one per two pixels of chart width, within the API's cap. */
export function pointBudget(widthPx: number, cap = 5000): number {
  return Math.max(200, Math.min(cap, Math.round(widthPx / 2)));
}

/** Whether a zoomed window deserves a finer read: it holds few of the overview's points. */
export function needsDetail(overview: readonly SeriesPoint[], from: number, to: number, budget: number): boolean {
  const inside = overview.filter((point) => point[0] >= from && point[0] < to).length;
  return inside < budget / 4;
}
