"""Which connection each directly logged-in VIN is on, for the duplicate-login policy (§10).

Only vehicle logins on vehicle links are tracked: a lower platform speaks for its VINs and the
same VIN may legitimately also reach us through it. The table is per gateway process; VINs
reaching two gateways behind a load balancer are not detected here.
"""

from __future__ import annotations

from typing import Protocol


class VinOwner(Protocol):
    connection_id: str

    def idle_for(self) -> float:
        """Seconds since the holder's link last received anything."""
        ...

    async def evict(self, vin: str) -> None:
        """Another connection took the VIN over: end it here (REPLACE_OLD policy)."""
        ...


class OnlineVehicles:
    def __init__(self) -> None:
        self._owners: dict[str, VinOwner] = {}

    def owner(self, vin: str) -> VinOwner | None:
        return self._owners.get(vin)

    def claim(self, vin: str, owner: VinOwner) -> VinOwner | None:
        """Make ``owner`` hold the VIN; return the previous holder when it was someone else."""
        previous = self._owners.get(vin)
        self._owners[vin] = owner
        return previous if previous is not owner else None

    def release(self, vin: str, owner: VinOwner) -> None:
        """Forget the VIN if ``owner`` still holds it (a replaced session must not release the
        VIN its successor now holds)."""
        if self._owners.get(vin) is owner:
            del self._owners[vin]

    def __len__(self) -> int:
        return len(self._owners)
