"""Bulk vehicle registration from a CSV file (format: backend/core/vehicle_csv.py).

Every row is checked, and every fault reported with its row number, field and a stable code.
The valid rows are written in one statement inside the use case's one transaction: each row is
either fully written or not at all, and the report says which. A VIN the tenant has already
registered is updated (only the columns the file has), so importing a file twice is harmless;
a VIN registered to another tenant is refused as ``vin_taken`` without saying whose.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from backend.core.access import Permission, Principal
from backend.core.vehicle_csv import ImportRow, ParsedImport, RowError, parse_vehicle_csv
from backend.services.tenant_data import tenant_use_case
from backend.services.vehicles import check_registration_quotas
from backend.settings import DataSettings
from backend.storage import vehicle_models, vehicle_registry
from backend.storage.db import Conn, Pool

DEFAULT_LIMITS = DataSettings()
_TAKEN = "the VIN is registered already"


@dataclass(frozen=True, slots=True)
class ImportReport:
    total: int  # data rows in the file
    created: tuple[str, ...]  # VINs, in file order
    updated: tuple[str, ...]
    errors: tuple[RowError, ...]  # by row
    dry_run: bool  # True: checked and counted, nothing written


def _registry_columns(parsed: ParsedImport) -> set[str]:
    # The file names a model; the registry stores the model's id.
    return {"model_id" if column == "model" else column for column in parsed.columns}


async def _resolve_models(conn: Conn, parsed: ParsedImport,
                          errors: list[RowError]) -> list[ImportRow]:
    names = sorted({row.model_name for row in parsed.rows if row.model_name is not None})
    ids = await vehicle_models.model_ids_by_name(conn, names)
    resolved = []
    for row in parsed.rows:
        if row.model_name is None:
            resolved.append(row)
        elif row.model_name in ids:
            spec = dataclasses.replace(row.spec, model_id=ids[row.model_name])
            resolved.append(dataclasses.replace(row, spec=spec))
        else:
            errors.append(RowError(row.row, "model", "unknown_model",
                                   f"no vehicle model named {row.model_name!r}"))
    return resolved


async def import_vehicles(db: Conn | Pool, actor: Principal, tenant: str, data: bytes, *,
                          dry_run: bool = False,
                          limits: DataSettings = DEFAULT_LIMITS) -> ImportReport:
    """Raises InvalidArgument (field ``file`` or ``header``) or LimitExceeded
    (``import_max_bytes``, ``import_max_rows``, ``vehicles_quota``) when the file as a whole is
    refused."""
    async with tenant_use_case(db, actor, tenant, Permission.VEHICLES_IMPORT) as conn:
        parsed = parse_vehicle_csv(data, max_rows=limits.import_max_rows,
                                   max_bytes=limits.import_max_bytes)
        errors = list(parsed.errors)
        rows = await _resolve_models(conn, parsed, errors)
        taken = await vehicle_registry.registered_elsewhere(
            conn, tenant, [row.spec.vin for row in rows])
        errors += [RowError(row.row, "vin", "vin_taken", _TAKEN)
                   for row in rows if row.spec.vin in taken]
        rows = [row for row in rows if row.spec.vin not in taken]
        known = await vehicle_registry.vehicles_by_vins(
            conn, tenant, [row.spec.vin for row in rows])
        existing = {vehicle.vin for vehicle in known}
        # The quotas refuse the whole file, dry run included, so the dry run predicts it.
        new_vins = {row.spec.vin for row in rows} - existing
        await check_registration_quotas(conn, tenant, len(new_vins))
        if dry_run:
            created = frozenset(row.spec.vin for row in rows) - existing
            updated = frozenset(existing)
        else:
            result = await vehicle_registry.upsert_vehicles(
                conn, tenant, [row.spec for row in rows], _registry_columns(parsed))
            created, updated = result.created, result.updated
            # Registered by another tenant between the check above and the write.
            errors += [RowError(row.row, "vin", "vin_taken", _TAKEN)
                       for row in rows if row.spec.vin in result.refused]
    return ImportReport(
        total=parsed.total,
        created=tuple(row.spec.vin for row in rows if row.spec.vin in created),
        updated=tuple(row.spec.vin for row in rows if row.spec.vin in updated),
        errors=tuple(sorted(errors, key=lambda error: error.row)),
        dry_run=dry_run)
