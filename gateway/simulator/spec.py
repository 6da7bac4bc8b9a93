"""The fixed identity of one simulated vehicle."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.protocol.model import Edition

from .catalog import VehicleModel
from .schedule import Routine


@dataclass(frozen=True, slots=True)
class VehicleSpec:
    vin: str
    model: VehicleModel
    edition: Edition
    routine: Routine
    seed: int
    """Seeds this vehicle's own random streams (derived from the master seed and the VIN)."""
    iccid: str
