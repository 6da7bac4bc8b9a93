"""Per-request dataloaders of the fleet part: every nested model, latest state and latest
record of one request is read in one batch per tenant, however many vehicles a page shows.

Keys carry the tenant the parent object was read in (provider staff with a support grant read
another tenant's data), so one loader serves every tenant of a request. The fields declare their
permission (checked per batch, access_batches.py) and the services check it again for each
batch; a batch of latest states or records, which is vehicle data, is audited as one event
naming its VINs. The loaders batch but do not cache: a websocket's context lives as long as
the connection, and a latest state read there must be the latest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, TypeVar

from strawberry.dataloader import DataLoader

from backend.api.audit import Outcome
from backend.api.errors import Code, classify
from backend.core.access import AccessDenied
from backend.core.fleet import LatestState
from backend.core.latest_record import LatestRecord
from backend.core.vehicles import VehicleModel
from backend.services import fleet, vehicle_models

if TYPE_CHECKING:
    from backend.api.graphql.context import RequestContext

K = TypeVar("K")
V = TypeVar("V")
ModelKey = tuple[str, int]  # (tenant, model id)
VinKey = tuple[str, str]  # (tenant, upper-case VIN)
LATEST_STATE_OPERATION: Final = "Vehicle.latestState"
LATEST_RECORD_OPERATION: Final = "Vehicle.latestRecord"


async def _by_tenant(keys: Sequence[tuple[str, K]],
                     load: Callable[[str, list[K]], Awaitable[Mapping[K, V]]]
                     ) -> list[V | None]:
    """One call of ``load`` per tenant among ``keys``, answers in key order."""
    wanted: dict[str, list[K]] = defaultdict(list)
    for tenant, key in keys:
        wanted[tenant].append(key)
    found = {tenant: await load(tenant, sorted(set(group), key=repr))
             for tenant, group in wanted.items()}
    return [found[tenant].get(key) for tenant, key in keys]


class FleetLoaders:
    def __init__(self, context: RequestContext) -> None:
        self._context = context
        self.models: DataLoader[ModelKey, VehicleModel | None] = DataLoader(
            load_fn=self._load_models, cache=False)
        self.latest_states: DataLoader[VinKey, LatestState | None] = DataLoader(
            load_fn=self._load_latest_states, cache=False)
        self.latest_records: DataLoader[VinKey, LatestRecord | None] = DataLoader(
            load_fn=self._load_latest_records, cache=False)

    async def _load_models(self, keys: list[ModelKey]) -> list[VehicleModel | None]:
        context = self._context

        async def load(tenant: str, ids: list[int]) -> Mapping[int, VehicleModel]:
            return await vehicle_models.models_by_ids(context.services.db, context.actor(),
                                                      tenant, ids)
        return await _by_tenant(keys, load)

    async def _load_latest_states(self, keys: list[VinKey]) -> list[LatestState | None]:
        context = self._context

        async def load(tenant: str, vins: list[str]) -> Mapping[str, LatestState]:
            return await self._audited(
                LATEST_STATE_OPERATION, tenant, vins,
                fleet.latest_states(context.services.db, context.actor(), tenant, vins,
                                    limits=context.services.settings.data))
        return await _by_tenant(keys, load)

    async def _load_latest_records(self, keys: list[VinKey]) -> list[LatestRecord | None]:
        context = self._context

        async def load(tenant: str, vins: list[str]) -> Mapping[str, LatestRecord]:
            return await self._audited(
                LATEST_RECORD_OPERATION, tenant, vins,
                fleet.latest_records(context.services.db, context.actor(), tenant, vins))
        return await _by_tenant(keys, load)

    async def _audited(self, operation: str, tenant: str, vins: list[str],
                       read: Awaitable[Mapping[str, V]]) -> Mapping[str, V]:
        try:
            found = await read
        except Exception as error:
            await self._audit(operation, tenant, vins, error)
            raise
        await self._audit(operation, tenant, vins, None)
        return found

    async def _audit(self, operation: str, tenant: str, vins: list[str],
                     error: Exception | None) -> None:
        details: dict[str, Any] = {}
        outcome = Outcome.OK
        if error is not None:
            mapped = classify(error)
            outcome = Outcome.DENIED if isinstance(error, AccessDenied) else Outcome.FAILED
            details = {"code": (Code.INTERNAL_SERVER_ERROR if mapped is None
                                else mapped.code).value}
        await self._context.audit.record(self._context.principal, operation, outcome,
                                         tenant=tenant, targets=tuple(vins), details=details)
