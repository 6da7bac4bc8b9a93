"""The tenant's ``vehicle_models`` table (migrations/tenant/0005). Call inside ``tenant_tx``;
values arrive cleaned by backend/core/vehicles.py."""

# ruff: noqa: S608 - column names come from MODEL_COLUMNS; values are bound.
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Final

import asyncpg

from backend.core.data_errors import AlreadyExists
from backend.core.vehicles import Chemistry, VehicleModel, VehicleModelSpec
from backend.storage.db import Conn

MODEL_COLUMNS: Final = ("name", "maker", "battery_chemistry", "cell_count", "probe_count",
                        "rated_capacity_kwh", "battery_supplier", "motor_supplier")
_SELECT: Final = (f"SELECT id, {', '.join(MODEL_COLUMNS)}, created_at, updated_at"
                  " FROM vehicle_models")


def _model(row: asyncpg.Record) -> VehicleModel:
    return VehicleModel(
        id=row["id"], name=row["name"], maker=row["maker"],
        battery_chemistry=Chemistry(row["battery_chemistry"]), cell_count=row["cell_count"],
        probe_count=row["probe_count"], rated_capacity_kwh=row["rated_capacity_kwh"],
        battery_supplier=row["battery_supplier"], motor_supplier=row["motor_supplier"],
        created_at=row["created_at"], updated_at=row["updated_at"])


def _name_taken(name: object) -> AlreadyExists:
    return AlreadyExists(f"a vehicle model named {name!r} exists", field="name")


async def insert_model(conn: Conn, spec: VehicleModelSpec) -> VehicleModel:
    values = [getattr(spec, column) for column in MODEL_COLUMNS]
    placeholders = ", ".join(f"${index}" for index in range(1, len(values) + 1))
    try:
        # A savepoint, so a taken name leaves the caller's transaction usable.
        async with conn.transaction():
            row = await conn.fetchrow(
                f"INSERT INTO vehicle_models ({', '.join(MODEL_COLUMNS)}) "
                f"VALUES ({placeholders}) RETURNING id", *values)
    except asyncpg.UniqueViolationError:
        raise _name_taken(spec.name) from None
    assert row is not None  # noqa: S101 - INSERT ... RETURNING returns its row
    return (await models_by_ids(conn, [row["id"]]))[0]


async def update_model(conn: Conn, model_id: int,
                       changes: Mapping[str, Any]) -> VehicleModel | None:
    """Apply cleaned ``changes`` (a subset of MODEL_COLUMNS); None when there is no such
    model. An empty change set only reads the model."""
    unknown = set(changes) - set(MODEL_COLUMNS)
    if unknown:
        raise ValueError(f"not a vehicle model column: {sorted(unknown)}")
    if changes:
        names = list(changes)
        assignments = ", ".join(f"{name} = ${index}" for index, name in enumerate(names, 2))
        try:
            async with conn.transaction():
                await conn.execute(
                    f"UPDATE vehicle_models SET {assignments}, updated_at = now() WHERE id = $1",
                    model_id, *(changes[name] for name in names))
        except asyncpg.UniqueViolationError:
            raise _name_taken(changes.get("name")) from None
    found = await models_by_ids(conn, [model_id])
    return found[0] if found else None


async def models_by_ids(conn: Conn, ids: Collection[int]) -> list[VehicleModel]:
    rows = await conn.fetch(_SELECT + " WHERE id = ANY($1::bigint[]) ORDER BY id", list(ids))
    return [_model(row) for row in rows]


async def all_models(conn: Conn) -> list[VehicleModel]:
    return [_model(row) for row in await conn.fetch(_SELECT + " ORDER BY name")]


async def model_ids_by_name(conn: Conn, names: Sequence[str]) -> dict[str, int]:
    rows = await conn.fetch("SELECT name, id FROM vehicle_models WHERE name = ANY($1::text[])",
                            list(names))
    return {row["name"]: row["id"] for row in rows}
