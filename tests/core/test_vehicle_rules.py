"""Registry rules without a database: the CSV parser's row numbers and refusals, the value
cleaners, the list filter, and the data limits read from the environment."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backend.core.data_errors import InvalidArgument, LimitExceeded
from backend.core.fleet import VehicleFilter, clean_filter
from backend.core.vehicle_csv import parse_vehicle_csv
from backend.core.vehicles import (
    UNSET,
    UsageType,
    VehicleChanges,
    VehicleSpec,
    clean_vehicle_spec,
    clean_vin,
    vehicle_changes,
)
from backend.settings import InvalidSetting, load_settings

VIN1, VIN2 = "LNBSCB3F5JW000001", "LNBSCB3F5JW000002"
BASE_ENV = {"DATABASE_URL": "postgresql://h/d", "REDIS_URL": "redis://h", "S3_ENDPOINT": "h:1",
            "S3_ACCESS_KEY": "a", "S3_SECRET_KEY": "b"}


def test_rows_are_numbered_like_a_spreadsheet() -> None:
    text = ('vin,production_batch\r\n'
            f'{VIN1},"two\nlines"\r\n'  # row 2 spans two lines; a newline is no batch name
            '\r\n'  # row 3 is blank
            f'{VIN2},x\r\n'  # row 4
            'bad,y\r\n')  # row 5
    parsed = parse_vehicle_csv(("\ufeff" + text).encode(), max_rows=3, max_bytes=10_000)
    assert [row.row for row in parsed.rows] == [4]
    assert [(e.row, e.field, e.code) for e in parsed.errors] == [
        (2, "production_batch", "invalid_text"), (5, "vin", "invalid_vin")]
    assert parsed.total == 3 and parsed.columns == {"vin", "production_batch"}


def test_row_limit_counts_data_rows_only() -> None:
    text = "vin\n" + "\n".join([VIN1, "", VIN2, ""]) + "\n"
    assert parse_vehicle_csv(text.encode(), max_rows=2, max_bytes=1000).total == 2
    with pytest.raises(LimitExceeded):
        parse_vehicle_csv((text + "LNBSCB3F5JW000003\n").encode(), max_rows=2, max_bytes=1000)


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPRSTUVWXYZ", min_size=17, max_size=17),
       st.sampled_from(["", " ", "\t"]))
def test_vins_are_normalised_once(vin: str, pad: str) -> None:
    assert clean_vin(pad + vin.lower() + pad) == vin == clean_vin(vin)


def test_specs_and_changes() -> None:
    spec = clean_vehicle_spec(VehicleSpec(VIN1.lower(), production_batch="  ",
                                          battery_pack_lot=" L1 "))
    assert (spec.vin, spec.production_batch, spec.battery_pack_lot, spec.usage_type) == (
        VIN1, None, "L1", UsageType.PRIVATE)
    assert vehicle_changes(VehicleChanges()) == {}
    assert vehicle_changes(VehicleChanges(model_id=None, sale_date=date(2024, 1, 1),
                                          usage_type=UNSET)) == {
        "model_id": None, "sale_date": date(2024, 1, 1)}
    for bad in (VehicleChanges(model_id=0), VehicleChanges(battery_pack_lot="x" * 65),
                VehicleChanges(usage_type="fleet")):  # type: ignore[arg-type]
        with pytest.raises(InvalidArgument):
            vehicle_changes(bad)


def test_filter_is_normalised() -> None:
    cleaned = clean_filter(VehicleFilter(vin_prefix=" lnb ", production_batch=" ",
                                         battery_pack_lot=" L1"))
    assert (cleaned.vin_prefix, cleaned.production_batch, cleaned.battery_pack_lot) == (
        "LNB", None, "L1")
    for bad in (VehicleFilter(vin_prefix=""), VehicleFilter(model_id=0),
                VehicleFilter(min_alarm_level=-1)):
        with pytest.raises(InvalidArgument):
            clean_filter(bad)


def test_data_limits_from_the_environment() -> None:
    defaults = load_settings(BASE_ENV, env_file=None).data
    assert (defaults.page_size_max, defaults.points_max, defaults.online_timeout.seconds) == (
        500, 5000, 300)
    tight = load_settings({**BASE_ENV, "NEVGUARD_PAGE_SIZE_MAX": "20",
                           "NEVGUARD_IMPORT_MAX_ROWS": "7",
                           "NEVGUARD_ONLINE_TIMEOUT_SECONDS": "90"}, env_file=None).data
    assert (tight.page_size_max, tight.page_size_default, tight.import_max_rows,
            tight.online_timeout.seconds) == (20, 20, 7, 90)
    for key, value in (("NEVGUARD_POINTS_MAX", "0"), ("NEVGUARD_MATRIX_CELLS_MAX", "lots"),
                       ("NEVGUARD_SESSIONS_MAX", "-5")):
        with pytest.raises(InvalidSetting):
            load_settings({**BASE_ENV, key: value}, env_file=None)
