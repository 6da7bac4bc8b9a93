// The CSV import uploads the file to POST /vehicles/import (docs/fleet-data.md, "CSV import":
// UTF-8, with or without a byte-order mark). A file that is not UTF-8 (a GBK export from a
// spreadsheet) is caught here already, with the same advice the API gives.

/** The import report the upload route answers (the fields of the GraphQL ImportReport). */
export interface ImportReport {
  total: number;
  created: string[];
  updated: string[];
  dryRun: boolean;
  errors: { row: number; field: string | null; code: string; detail: string }[];
}

export function importPath(dryRun: boolean): string {
  return `/vehicles/import?dry_run=${dryRun ? "true" : "false"}`;
}

export type CsvRead = { ok: true; text: string } | { ok: false; reason: "encoding" | "too_large" };

export function decodeCsv(bytes: Uint8Array, maxBytes: number): CsvRead {
  if (bytes.byteLength > maxBytes) return { ok: false, reason: "too_large" };
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes) };
  } catch {
    return { ok: false, reason: "encoding" };
  }
}

/** The error report as CSV (row, field, code, detail), for the user to fix the file with. */
export function errorReportCsv(errors: readonly { row: number; field?: string | null; code: string; detail: string }[]): string {
  const cell = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const lines = ["row,field,code,detail", ...errors.map((error) => [String(error.row), error.field ?? "", error.code, error.detail].map(cell).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
