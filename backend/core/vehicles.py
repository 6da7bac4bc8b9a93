"""Vehicle models and registry entries: the domain objects and the rules every write path
(single create/update and the CSV import) applies the same way.

Validators normalise as well as check (trim text, upper-case a VIN, turn an empty optional
text into None) and raise InvalidArgument with the field and a stable ``reason``.
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Final

from backend.core.data_errors import InvalidArgument

VIN: Final = re.compile(r"[0-9A-Z]{17}")
TEXT_MAX: Final = 100
LOT_MAX: Final = 64
# GB/T 32960 counts cells and probes in WORDs; 0xFFFE/0xFFFF are sentinels (§8.0).
COUNT_MAX: Final = 65531
CAPACITY_MAX_KWH: Final = 10_000.0


class Unset(enum.Enum):
    """A field an update leaves alone (None would mean "clear it")."""

    UNSET = "unset"


UNSET: Final = Unset.UNSET


class UsageType(enum.StrEnum):
    # Long-offline screening thresholds differ: 90 days private, 60 days operating.
    PRIVATE = "private"
    OPERATING = "operating"


class Chemistry(enum.StrEnum):
    NCM = "ncm"
    LFP = "lfp"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class VehicleModelSpec:
    name: str
    maker: str
    battery_chemistry: Chemistry
    cell_count: int
    probe_count: int
    rated_capacity_kwh: float
    battery_supplier: str | None = None
    motor_supplier: str | None = None


@dataclass(frozen=True, slots=True)
class VehicleModelChanges:
    name: str | Unset = UNSET
    maker: str | Unset = UNSET
    battery_chemistry: Chemistry | Unset = UNSET
    cell_count: int | Unset = UNSET
    probe_count: int | Unset = UNSET
    rated_capacity_kwh: float | Unset = UNSET
    battery_supplier: str | Unset | None = UNSET
    motor_supplier: str | Unset | None = UNSET


@dataclass(frozen=True, slots=True)
class VehicleModel:
    id: int
    name: str
    maker: str
    battery_chemistry: Chemistry
    cell_count: int
    probe_count: int
    rated_capacity_kwh: float
    battery_supplier: str | None
    motor_supplier: str | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class VehicleSpec:
    vin: str
    usage_type: UsageType = UsageType.PRIVATE
    model_id: int | None = None
    sale_date: date | None = None
    production_batch: str | None = None
    battery_pack_lot: str | None = None


@dataclass(frozen=True, slots=True)
class VehicleChanges:
    usage_type: UsageType | Unset = UNSET
    model_id: int | Unset | None = UNSET
    sale_date: date | Unset | None = UNSET
    production_batch: str | Unset | None = UNSET
    battery_pack_lot: str | Unset | None = UNSET


@dataclass(frozen=True, slots=True)
class Vehicle:
    vin: str
    usage_type: UsageType
    model_id: int | None
    sale_date: date | None
    production_batch: str | None
    battery_pack_lot: str | None
    created_at: datetime
    updated_at: datetime


def clean_vin(value: str) -> str:
    vin = value.strip().upper()
    if VIN.fullmatch(vin) is None:
        raise InvalidArgument("a VIN is 17 letters or digits", field="vin",
                              reason="invalid_vin")
    return vin


def clean_text(field: str, value: str, limit: int = TEXT_MAX) -> str:
    text = value.strip()
    if not text:
        raise InvalidArgument(f"{field} is required", field=field, reason="required")
    if len(text) > limit:
        raise InvalidArgument(f"{field} is longer than {limit} characters", field=field,
                              reason="too_long")
    if not text.isprintable():
        raise InvalidArgument(f"{field} holds control characters", field=field,
                              reason="invalid_text")
    return text


def clean_optional_text(field: str, value: str | None, limit: int = TEXT_MAX) -> str | None:
    if value is None or not value.strip():
        return None
    return clean_text(field, value, limit)


def _count(field: str, value: int, minimum: int) -> int:
    if type(value) is not int or not minimum <= value <= COUNT_MAX:
        raise InvalidArgument(f"{field} must be a whole number from {minimum} to {COUNT_MAX}",
                              field=field, reason="out_of_range")
    return value


def _capacity(value: float) -> float:
    # ``not 0 < value`` also refuses NaN; bool is an int but not a capacity.
    if isinstance(value, bool) or not isinstance(value, int | float) \
            or not 0 < value < CAPACITY_MAX_KWH:
        raise InvalidArgument(f"rated capacity must be above 0 and below {CAPACITY_MAX_KWH} kWh",
                              field="rated_capacity_kwh", reason="out_of_range")
    return float(value)


def _model_id(value: int | None) -> int | None:
    if value is not None and (type(value) is not int or value < 1):
        raise InvalidArgument("not a model id", field="model_id", reason="unknown_model")
    return value


def _choice(kind: type[enum.StrEnum], field: str) -> Callable[[Any], Any]:
    def cleaner(value: Any) -> Any:
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            raise InvalidArgument(f"{field} must be one of {allowed}", field=field,
                                  reason="invalid_choice") from None
    return cleaner


def clean_usage(value: str) -> UsageType:
    usage: UsageType = _choice(UsageType, "usage_type")(value.strip().lower())
    return usage


Cleaners = Mapping[str, Callable[[Any], Any]]
_MODEL_FIELDS: Final[Cleaners] = {
    "name": lambda v: clean_text("name", v),
    "maker": lambda v: clean_text("maker", v),
    "battery_chemistry": _choice(Chemistry, "battery_chemistry"),
    "cell_count": lambda v: _count("cell_count", v, 1),
    "probe_count": lambda v: _count("probe_count", v, 0),
    "rated_capacity_kwh": _capacity,
    "battery_supplier": lambda v: clean_optional_text("battery_supplier", v),
    "motor_supplier": lambda v: clean_optional_text("motor_supplier", v),
}
_VEHICLE_FIELDS: Final[Cleaners] = {
    "vin": clean_vin,
    "usage_type": _choice(UsageType, "usage_type"),
    "model_id": _model_id,
    "sale_date": lambda v: v,
    "production_batch": lambda v: clean_optional_text("production_batch", v, LOT_MAX),
    "battery_pack_lot": lambda v: clean_optional_text("battery_pack_lot", v, LOT_MAX),
}


def _cleaned(record: Any, cleaners: Cleaners) -> dict[str, Any]:
    """The set (not UNSET) fields of a spec or changes dataclass, each cleaned."""
    values = {field.name: getattr(record, field.name) for field in dataclasses.fields(record)}
    return {name: cleaners[name](value) for name, value in values.items() if value is not UNSET}


def clean_model_spec(spec: VehicleModelSpec) -> VehicleModelSpec:
    return VehicleModelSpec(**_cleaned(spec, _MODEL_FIELDS))


def model_changes(changes: VehicleModelChanges) -> dict[str, Any]:
    """The fields an update sets, cleaned; empty when it sets nothing."""
    return _cleaned(changes, _MODEL_FIELDS)


def clean_vehicle_spec(spec: VehicleSpec) -> VehicleSpec:
    return VehicleSpec(**_cleaned(spec, _VEHICLE_FIELDS))


def vehicle_changes(changes: VehicleChanges) -> dict[str, Any]:
    return _cleaned(changes, _VEHICLE_FIELDS)
