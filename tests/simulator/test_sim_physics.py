"""Physical sanity of the signal model: what the regulator's consistency checks look at."""

from __future__ import annotations

import copy
from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st
from sim_fleet import START, fleet

from gateway.protocol.model import Sentinel
from gateway.simulator.geo import Position, in_china
from gateway.simulator.state import Mode, VehicleState
from gateway.simulator.vehicle import Vehicle


def _numbers(values: list) -> list[float]:
    return [v for v in values if not isinstance(v, Sentinel)]


def _check_snapshot(vehicle: Vehicle, state: VehicleState) -> None:
    model = vehicle.spec.model
    assert 0.0 <= state.soc_pct <= 100.0
    cells = _numbers(state.cell_voltages_mv)
    assert len(state.cell_voltages_mv) == model.series_cells
    assert len(state.probe_temperatures_c) == model.probe_count
    assert len(state.motors) == model.motor_count
    # The regulator flags pack voltage vs sum of cells more than 1 % apart; ours is exact.
    assert abs(state.total_voltage_v - sum(cells) / 1000) <= 0.06
    assert in_china(Position(state.latitude_deg, state.longitude_deg))
    assert max(cells) - min(cells) < 60, "healthy cells stay within a few tens of mV"
    assert 1000 <= state.insulation_kohm <= 9000
    if state.mode is not Mode.DRIVE:
        assert state.speed_kmh == 0.0
    if state.mode in (Mode.AC_CHARGE, Mode.DC_CHARGE) and state.charging_state == 0x01:
        assert state.total_current_a < 0, "charging current is negative (§8.1)"
    rpm_per_kmh = 60 * model.gear_ratio / 3.6 / model.wheel_circumference_m
    for motor in state.motors:
        # The reported speed is rounded to 0.1 km/h (§8.1), the motor speed to 1 rpm.
        assert abs(motor.speed_rpm - state.speed_kmh * rpm_per_kmh) <= 0.05 * rpm_per_kmh + 1
    assert state.alarm.max_level == 0 or state.soc_pct < 10


def test_a_fleet_stays_physical_for_three_hours() -> None:
    sim = fleet(20, seed=21)
    odometers = {v.spec.vin: v.dyn.odometer_km for v in sim.vehicles}
    modes: set[Mode] = set()
    for step in range(0, 3 * 3600, 30):
        at = START + timedelta(seconds=step)
        for vehicle in sim.vehicles:
            vehicle.advance(at)
            state = vehicle.observe()
            _check_snapshot(vehicle, state)
            modes.add(state.mode)
            assert state.odometer_km >= round(odometers[vehicle.spec.vin], 1)
            odometers[vehicle.spec.vin] = vehicle.dyn.odometer_km
    assert modes == set(Mode)


def test_soc_moves_against_the_sign_of_the_current_every_second() -> None:
    seen_charge = seen_drive = False
    for vehicle in fleet(12, seed=22).vehicles:
        for _ in range(900):
            soc = vehicle.dyn.soc_pct
            vehicle.advance(vehicle.now + timedelta(seconds=1))
            current, change = vehicle.dyn.current_a, vehicle.dyn.soc_pct - soc
            if abs(current) > 0.5 and 0.0 < vehicle.dyn.soc_pct < 100.0:
                assert (change < 0) == (current > 0)
                seen_charge |= current < 0
                seen_drive |= current > 0
    assert seen_charge and seen_drive


def test_dc_fast_charging_draws_more_current_than_ac() -> None:
    ac: list[float] = []
    dc: list[float] = []
    for vehicle in fleet(40, seed=23).vehicles:
        vehicle.advance(START + timedelta(seconds=60))
        state = vehicle.observe()
        if state.charging_state == 0x01:
            (dc if state.mode is Mode.DC_CHARGE else ac).append(-state.total_current_a)
    assert ac and dc
    assert min(dc) > max(ac)


def test_state_does_not_depend_on_how_often_it_was_sampled() -> None:
    stepped = fleet(3, seed=24).vehicles
    jumped = copy.deepcopy(stepped)
    end = START + timedelta(minutes=20)
    for a, b in zip(stepped, jumped, strict=True):
        for second in range(1, 20 * 60 + 1, 7):
            a.advance(START + timedelta(seconds=second))
            a.observe()
        a.advance(end)
        b.advance(end)
        assert a.observe() == b.observe()


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_any_seed_gives_physical_snapshots(seed: int) -> None:
    vehicle = fleet(1, seed=seed).vehicles[0]
    for minute in range(0, 40, 4):
        vehicle.advance(START + timedelta(minutes=minute))
        _check_snapshot(vehicle, vehicle.observe())
