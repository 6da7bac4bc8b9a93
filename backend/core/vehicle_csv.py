"""Bulk vehicle registration from CSV: parse and check every row, report every fault.

The file is UTF-8 (a byte-order mark, as spreadsheet programs write, is tolerated), comma
separated, with a header row naming the columns in any order:

    vin,model,usage_type,sale_date,production_batch,battery_pack_lot

Only ``vin`` is required. ``model`` is a vehicle model's name (the service resolves it),
``usage_type`` is ``private`` (default) or ``operating``, ``sale_date`` is ``YYYY-MM-DD``.
Rows are numbered like a spreadsheet: the header is row 1. A fault in one row never stops the
others from being checked; faults of the file itself (encoding, header, size) reject it whole.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Final

from backend.core.data_errors import InvalidArgument, LimitExceeded
from backend.core.vehicles import (
    VehicleSpec,
    clean_optional_text,
    clean_usage,
    clean_vehicle_spec,
)

COLUMNS: Final = ("vin", "model", "usage_type", "sale_date", "production_batch",
                  "battery_pack_lot")
_HEADER_ROW: Final = 1


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    field: str | None  # None when the row as a whole is malformed
    code: str  # stable: required, invalid_vin, invalid_date, unknown_model, duplicate_vin, ...
    detail: str


@dataclass(frozen=True, slots=True)
class ImportRow:
    row: int
    spec: VehicleSpec  # model_id not yet resolved
    model_name: str | None


@dataclass(frozen=True, slots=True)
class ParsedImport:
    rows: tuple[ImportRow, ...]
    errors: tuple[RowError, ...]
    total: int  # data rows in the file, blank lines not counted
    columns: frozenset[str]  # the header's columns: an import changes only these


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidArgument(
            f"the file is not UTF-8 (byte {error.start}); save it as \"CSV UTF-8\"",
            field="file", reason="encoding") from None


def _header(cells: list[str]) -> dict[str, int]:
    names = [cell.strip().lower() for cell in cells]
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise InvalidArgument(f"unknown columns {unknown}; allowed: {list(COLUMNS)}",
                              field="header", reason="unknown_column")
    if len(set(names)) != len(names):
        raise InvalidArgument("a column appears twice", field="header",
                              reason="duplicate_column")
    if "vin" not in names:
        raise InvalidArgument("the header has no vin column", field="header",
                              reason="missing_column")
    return {name: index for index, name in enumerate(names)}


def _sale_date(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidArgument("a sale date is YYYY-MM-DD", field="sale_date",
                              reason="invalid_date") from None


def _row(number: int, cells: list[str], columns: dict[str, int]) -> ImportRow:
    def cell(name: str) -> str:
        index = columns.get(name)
        return "" if index is None else cells[index]

    spec = clean_vehicle_spec(VehicleSpec(
        vin=cell("vin"), usage_type=clean_usage(cell("usage_type").strip() or "private"),
        sale_date=_sale_date(cell("sale_date")),
        production_batch=cell("production_batch"), battery_pack_lot=cell("battery_pack_lot")))
    return ImportRow(number, spec, clean_optional_text("model", cell("model")))


def parse_vehicle_csv(data: bytes, *, max_rows: int, max_bytes: int) -> ParsedImport:
    if len(data) > max_bytes:
        raise LimitExceeded("import_max_bytes", max_bytes, "the file is too large")
    try:
        records = list(csv.reader(io.StringIO(_text(data), newline=""), strict=True))
    except csv.Error as error:
        raise InvalidArgument(f"not a CSV file: {error}", field="file",
                              reason="malformed") from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise InvalidArgument("the file has no header row", field="header",
                              reason="missing_column")
    columns = _header(records[0])
    numbered = [(number, cells) for number, cells in enumerate(records[1:], _HEADER_ROW + 1)
                if any(cell.strip() for cell in cells)]
    if len(numbered) > max_rows:
        raise LimitExceeded("import_max_rows", max_rows,
                            f"the file has {len(numbered)} rows")
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    first_row_of: dict[str, int] = {}
    for number, cells in numbered:
        if len(cells) != len(columns):
            errors.append(RowError(number, None, "field_count",
                                   f"{len(cells)} fields, the header has {len(columns)}"))
            continue
        try:
            row = _row(number, cells, columns)
        except InvalidArgument as error:
            errors.append(RowError(number, error.field, error.reason, error.detail))
            continue
        first = first_row_of.setdefault(row.spec.vin, number)
        if first != number:
            errors.append(RowError(number, "vin", "duplicate_vin",
                                   f"the VIN is already in row {first}"))
            continue
        rows.append(row)
    return ParsedImport(tuple(rows), tuple(errors), len(numbered), frozenset(columns))
