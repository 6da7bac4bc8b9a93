"""One simulated second of a vehicle: speed, traction power, current, SOC and temperatures.

Negative current means charging or regeneration (PROTOCOL.md §8.1), so SOC always moves
against the sign of the current.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Final

from .catalog import VehicleModel
from .chemistry import CELL_SPECS, open_circuit_voltage
from .geo import Position, bearing_deg, distance_m, move

GRAVITY: Final = 9.81
AIR_DENSITY: Final = 1.2
ROLLING_RESISTANCE: Final = 0.011
DRIVETRAIN_EFFICIENCY: Final = 0.9
REGEN_EFFICIENCY: Final = 0.65
AUXILIARY_W: Final = 1200.0
ACCELERATION_MPS2: Final = 1.8
DECELERATION_MPS2: Final = 3.0
PACK_COOLING_W_PER_K: Final = 250.0
MOTOR_TIME_CONSTANT_S: Final = 300.0
CONTROLLER_TIME_CONSTANT_S: Final = 200.0
ARRIVAL_SLOWDOWN_M: Final = 400.0
MAX_HEADING_WOBBLE_DEG: Final = 35.0


@dataclass(slots=True)
class Dynamics:
    """The continuously changing part of a vehicle."""

    soc_pct: float
    odometer_km: float
    position: Position
    pack_temperature_c: float
    motor_temperatures_c: list[float]
    controller_temperatures_c: list[float]
    speed_kmh: float = 0.0
    acceleration_mps2: float = 0.0
    current_a: float = 0.0
    mechanical_power_w: float = 0.0
    heading_deg: float = 0.0
    heading_wobble_deg: float = 0.0
    cruise_factor: float = 1.0
    red_light_s: int = 0
    charge_complete: bool = False


def pack_voltage(model: VehicleModel, soc_pct: float, current_a: float) -> float:
    ocv = open_circuit_voltage(CELL_SPECS[model.chemistry], soc_pct) * model.series_cells
    return ocv - current_a * model.pack_resistance_ohm


def _draw_current(model: VehicleModel, dyn: Dynamics, battery_power_w: float) -> None:
    voltage = pack_voltage(model, dyn.soc_pct, dyn.current_a)
    dyn.current_a = battery_power_w / max(voltage, 1.0)


def _integrate_soc(model: VehicleModel, dyn: Dynamics, dt: float) -> None:
    dyn.soc_pct -= dyn.current_a * dt / 3600.0 / model.capacity_ah * 100.0
    dyn.soc_pct = min(100.0, max(0.0, dyn.soc_pct))


def drive_step(model: VehicleModel, dyn: Dynamics, rng: random.Random, *,
               destination: Position, cruise_kmh: float, dt: float) -> bool:
    """Advance a drive by ``dt`` seconds; True when the vehicle arrived."""
    remaining = distance_m(dyn.position, destination)
    dyn.cruise_factor = min(1.15, max(0.75, dyn.cruise_factor + rng.uniform(-0.02, 0.02)))
    if dyn.red_light_s > 0:
        dyn.red_light_s -= int(dt)
        target = 0.0
    else:
        target = cruise_kmh * dyn.cruise_factor
        if dyn.speed_kmh > 20.0 and rng.random() < dt / 150.0:
            dyn.red_light_s = rng.randint(15, 60)
    if remaining < ARRIVAL_SLOWDOWN_M:
        target = min(target, max(8.0, cruise_kmh * remaining / ARRIVAL_SLOWDOWN_M))
    step = target - dyn.speed_kmh
    step = min(step, ACCELERATION_MPS2 * 3.6 * dt)
    step = max(step, -DECELERATION_MPS2 * 3.6 * dt)
    new_speed = max(0.0, dyn.speed_kmh + step)
    dyn.acceleration_mps2 = (new_speed - dyn.speed_kmh) / 3.6 / dt
    dyn.speed_kmh = new_speed
    speed_mps = new_speed / 3.6
    force = (model.mass_kg * GRAVITY * ROLLING_RESISTANCE * (1.0 if speed_mps > 0 else 0.0)
             + 0.5 * AIR_DENSITY * model.drag_area_m2 * speed_mps * speed_mps
             + model.mass_kg * dyn.acceleration_mps2)
    dyn.mechanical_power_w = min(force * speed_mps, model.max_power_kw * 1000.0)
    if dyn.mechanical_power_w >= 0:
        battery_w = dyn.mechanical_power_w / DRIVETRAIN_EFFICIENCY + AUXILIARY_W
    else:
        battery_w = dyn.mechanical_power_w * REGEN_EFFICIENCY + AUXILIARY_W
    _draw_current(model, dyn, battery_w)
    _integrate_soc(model, dyn, dt)
    travelled = speed_mps * dt
    dyn.odometer_km += travelled / 1000.0
    dyn.heading_wobble_deg = min(MAX_HEADING_WOBBLE_DEG, max(
        -MAX_HEADING_WOBBLE_DEG, dyn.heading_wobble_deg + rng.uniform(-3.0, 3.0)))
    if remaining <= max(15.0, travelled):
        dyn.position = destination
        dyn.speed_kmh = 0.0
        return True
    # Close to the target the wobble fades, otherwise a car could circle its parking spot.
    wobble = dyn.heading_wobble_deg * min(1.0, remaining / 2000.0)
    dyn.heading_deg = (bearing_deg(dyn.position, destination) + wobble) % 360.0
    dyn.position = move(dyn.position, dyn.heading_deg, travelled)
    return False


def charge_power_w(model: VehicleModel, soc_pct: float, fast: bool) -> float:
    """Charger power with the usual taper: DC slows down above half, AC only near full."""
    if fast:
        if soc_pct < 50.0:
            share = 1.0
        elif soc_pct < 80.0:
            share = 1.0 - 0.45 * (soc_pct - 50.0) / 30.0
        else:
            share = 0.55 - 0.35 * (soc_pct - 80.0) / 20.0
        return model.dc_charge_kw * 1000.0 * share
    share = 1.0 if soc_pct < 95.0 else max(0.1, (100.0 - soc_pct) / 5.0)
    return model.ac_charge_kw * 1000.0 * share


def charge_step(model: VehicleModel, dyn: Dynamics, target_soc_pct: float, fast: bool,
                dt: float) -> bool:
    """Advance a charge by ``dt`` seconds; True when the target SOC is reached."""
    dyn.speed_kmh = 0.0
    dyn.acceleration_mps2 = 0.0
    dyn.mechanical_power_w = 0.0
    if dyn.soc_pct >= target_soc_pct:
        dyn.current_a = 0.0
        dyn.charge_complete = True
        return True
    _draw_current(model, dyn, -charge_power_w(model, dyn.soc_pct, fast))
    _integrate_soc(model, dyn, dt)
    return False


def idle_step(dyn: Dynamics) -> None:
    dyn.speed_kmh = 0.0
    dyn.acceleration_mps2 = 0.0
    dyn.mechanical_power_w = 0.0
    dyn.current_a = 0.0


def _relax(value: float, target: float, dt: float, time_constant_s: float) -> float:
    return target + (value - target) * math.exp(-dt / time_constant_s)


def thermal_step(model: VehicleModel, dyn: Dynamics, ambient_c: float, dt: float) -> None:
    """Pack heats with I²R and is cooled toward ambient; motors follow their load."""
    heat_capacity = model.capacity_kwh * 6000.0
    steady = ambient_c + dyn.current_a ** 2 * model.pack_resistance_ohm / PACK_COOLING_W_PER_K
    dyn.pack_temperature_c = _relax(dyn.pack_temperature_c, steady, dt,
                                    heat_capacity / PACK_COOLING_W_PER_K)
    load = abs(dyn.mechanical_power_w) / (model.max_power_kw * 1000.0)
    moving = dyn.speed_kmh > 0.0
    motor_target = ambient_c + (15.0 + 70.0 * load if moving else 0.0)
    controller_target = ambient_c + (10.0 + 40.0 * load if moving else 0.0)
    dyn.motor_temperatures_c = [_relax(t, motor_target, dt, MOTOR_TIME_CONSTANT_S)
                                for t in dyn.motor_temperatures_c]
    dyn.controller_temperatures_c = [_relax(t, controller_target, dt, CONTROLLER_TIME_CONSTANT_S)
                                     for t in dyn.controller_temperatures_c]
