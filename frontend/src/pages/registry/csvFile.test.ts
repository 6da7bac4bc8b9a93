import { describe, expect, it } from "vitest";
import { decodeCsv, errorReportCsv, importPath } from "./csvFile";

describe("CSV file reading", () => {
  it("reads UTF-8 with or without a byte-order mark", () => {
    const plain = new TextEncoder().encode("vin,model\nLSGJY05W0LT000002,秦\n");
    expect(decodeCsv(plain, 1000)).toEqual({ ok: true, text: "vin,model\nLSGJY05W0LT000002,秦\n" });
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...plain]);
    expect(decodeCsv(withBom, 1000)).toEqual({ ok: true, text: "vin,model\nLSGJY05W0LT000002,秦\n" });
  });

  it("refuses GBK bytes and oversized files", () => {
    expect(decodeCsv(new Uint8Array([0xc7, 0xd8, 0x0a]), 1000)).toEqual({ ok: false, reason: "encoding" });
    expect(decodeCsv(new Uint8Array(11), 10)).toEqual({ ok: false, reason: "too_large" });
  });
});

describe("error report", () => {
  it("quotes what needs quoting", () => {
    const csv = errorReportCsv([
      { row: 3, field: "vin", code: "invalid_vin", detail: 'bad "VIN", check digit' },
      { row: 7, field: null, code: "field_count", detail: "3 fields" },
    ]);
    expect(csv).toBe('row,field,code,detail\r\n3,vin,invalid_vin,"bad ""VIN"", check digit"\r\n7,,field_count,3 fields\r\n');
  });
});

describe("upload route", () => {
  it("asks for a dry run or the import", () => {
    expect(importPath(true)).toBe("/vehicles/import?dry_run=true");
    expect(importPath(false)).toBe("/vehicles/import?dry_run=false");
  });
});
