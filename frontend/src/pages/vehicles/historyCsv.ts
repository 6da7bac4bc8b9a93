// The charts' data as a CSV file: one row per time, one column per signal for raw records, or
// avg/min/max columns per signal for buckets. With a byte-order mark, so spreadsheet programs
// read the Chinese headers as UTF-8.
import type { SeriesPoint } from "./seriesMath";

export interface CsvColumn {
  signal: string;
  title: string;
}

function cell(value: number | null | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

function quoted(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `points` per signal as [time ms, value or avg, min, max]; `bucketed` adds min and max. */
export function historyCsv(points: Record<string, readonly SeriesPoint[]>, columns: readonly CsvColumn[], bucketed: boolean, labels: { time: string; avg: string; min: string; max: string }, formatTime: (ms: number) => string): string {
  const rows = new Map<number, Map<string, SeriesPoint>>();
  for (const { signal } of columns) {
    for (const point of points[signal] ?? []) {
      const row = rows.get(point[0]) ?? new Map<string, SeriesPoint>();
      row.set(signal, point);
      rows.set(point[0], row);
    }
  }
  const header = [labels.time, ...columns.flatMap(({ title }) => (bucketed ? [`${title} ${labels.avg}`, `${title} ${labels.min}`, `${title} ${labels.max}`] : [title]))];
  const lines = [header.map(quoted).join(",")];
  for (const time of [...rows.keys()].sort((a, b) => a - b)) {
    const row = rows.get(time);
    const values = columns.flatMap(({ signal }) => {
      const point = row?.get(signal);
      return bucketed ? [cell(point?.[1]), cell(point?.[2]), cell(point?.[3])] : [cell(point?.[1])];
    });
    lines.push([quoted(formatTime(time)), ...values].join(","));
  }
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}

/** Hands `text` to the browser as a download named `name`. */
export function download(name: string, text: string, type = "text/csv;charset=utf-8"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}
