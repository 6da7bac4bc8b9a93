"""What one vehicle sent: signal history (column-wise, downsampled on the server), battery
matrices, raw frames (hex and canonical JSON) and online sessions, as nested fields of
``Vehicle`` (docs/fleet-data.md).

These fields read a range of one vehicle each, so they are answered under ``vehicle(vin)``
only: under a list they would cost one range query per row, and the query refuses that
instead of running it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Protocol

import strawberry
from graphql.pyutils import Path
from strawberry.scalars import JSON

from backend.api.errors import ApiError, Code
from backend.api.graphql.array_scalars import FloatList, IntList
from backend.api.graphql.common import GraphPage, checked_first
from backend.api.graphql.context import Info
from backend.core.raw_frames import RawFrame
from backend.core.series import Aggregate, Matrix, MatrixKind, SeriesSource, SignalHistory
from backend.core.sessions import OnlineSession
from backend.services import frames, history

AggregateName = strawberry.enum(Aggregate, name="Aggregate")
MatrixKindName = strawberry.enum(MatrixKind, name="MatrixKind")
SeriesSourceName = strawberry.enum(SeriesSource, name="SeriesSource")
RAW_FRAMES_DEFAULT = 100
From = Annotated[datetime, strawberry.argument(name="from", description="Inclusive.")]
To = Annotated[datetime, strawberry.argument(name="to", description="Exclusive.")]


class VehicleScope(Protocol):
    """The parent of these fields: a vehicle read in a tenant."""

    vin: str
    tenant_scope: str


def one_vehicle(info: Info) -> None:
    """Refuses a range field reached through a list (a path with a list index)."""
    path: Path | None = info.path
    while path is not None:
        if isinstance(path.key, int):
            raise ApiError(Code.BAD_USER_INPUT, f"{info.field_name} is read one vehicle at a "
                           "time: ask for it under vehicle(vin)", {"field": info.field_name})
        path = path.prev


def _seconds(bucket: timedelta | None) -> int | None:
    return None if bucket is None else int(bucket.total_seconds())


def _columns(rows: Sequence[Sequence[float | int | None]] | None) -> list[FloatList] | None:
    return None if rows is None else [FloatList(row) for row in rows]


def _column(values: Sequence[float | int | None] | None) -> FloatList | None:
    return None if values is None else FloatList(values)


@strawberry.type
class SignalSeries:
    signal: str
    values: FloatList | None = strawberry.field(description="Raw rows: the stored values.")
    avg: FloatList | None
    min: FloatList | None
    max: FloatList | None


@strawberry.type(name="SignalHistory")
class SignalHistoryNode:
    """One array per signal, aligned with ``times`` (collection times, or bucket starts)."""

    vin: str
    times: list[datetime]
    series: list[SignalSeries]
    source: SeriesSourceName  # type: ignore[valid-type]
    bucket_seconds: int | None = strawberry.field(description="Null for raw rows.")
    counts: IntList | None = strawberry.field(description="Stored rows per bucket.")


def history_node(found: SignalHistory) -> SignalHistoryNode:
    return SignalHistoryNode(
        vin=found.vin, times=list(found.times), source=found.source,
        bucket_seconds=_seconds(found.bucket),
        counts=None if found.counts is None else IntList(found.counts),
        series=[SignalSeries(signal=s.signal, values=_column(s.values), avg=_column(s.avg),
                             min=_column(s.min), max=_column(s.max)) for s in found.series])


@strawberry.type(name="BatteryMatrix")
class MatrixNode:
    """Rows are time points, columns cells or probes (1-based positions of the pack)."""

    vin: str
    kind: MatrixKindName  # type: ignore[valid-type]
    times: list[datetime]
    columns: int
    bucket_seconds: int | None
    counts: IntList | None
    values: list[FloatList] | None
    avg: list[FloatList] | None
    min: list[FloatList] | None
    max: list[FloatList] | None


def matrix_node(found: Matrix) -> MatrixNode:
    return MatrixNode(vin=found.vin, kind=found.kind, times=list(found.times),
                      columns=found.columns, bucket_seconds=_seconds(found.bucket),
                      counts=None if found.counts is None else IntList(found.counts),
                      values=_columns(found.values), avg=_columns(found.avg),
                      min=_columns(found.min), max=_columns(found.max))


@strawberry.type
class FrameDecodeError:
    code: str = strawberry.field(description="The codec's stable code (peer.*).")
    message: str
    offset: int | None


@strawberry.type
class DecodedRecord:
    collected_at: datetime
    values: JSON = strawberry.field(description="The realtime row decoded at ingest.")


def _plain(value: Any) -> Any:
    """A decoded row's value in JSON terms (times as RFC 3339)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


@strawberry.type(name="RawFrame")
class RawFrameNode:
    received_at: datetime
    collected_at: datetime | None
    command: int
    edition: int
    hex: str
    frame_hash: str
    canonical_json: str | None = strawberry.field(
        description="docs/protocol-json.md; null when the frame does not decode.")
    encrypted: bool = strawberry.field(description="The stored data unit is ciphertext.")
    decode_error: FrameDecodeError | None
    records: list[DecodedRecord]


def raw_frame_node(frame: RawFrame) -> RawFrameNode:
    error = frame.decode_error
    return RawFrameNode(
        received_at=frame.received_at, collected_at=frame.collected_at, command=frame.command,
        edition=frame.edition, hex=frame.hex, frame_hash=frame.frame_hash.hex(),
        canonical_json=frame.canonical_json, encrypted=frame.encrypted,
        decode_error=None if error is None else FrameDecodeError(
            code=error.code, message=error.message, offset=error.offset),
        records=[DecodedRecord(collected_at=r.collected_at,
                               values=json.loads(json.dumps(_plain(r.values))))
                 for r in frame.records])


@strawberry.type(name="OnlineSession")
class SessionNode:
    start: datetime
    end: datetime | None = strawberry.field(description="Null: no end event yet.")
    started_by: str
    end_reason: str | None


def session_node(found: OnlineSession) -> SessionNode:
    return SessionNode(start=found.start, end=found.end, started_by=found.started_by,
                       end_reason=found.end_reason)


async def signal_history(root: VehicleScope, info: Info, *, signals: list[str], start: From,
                         end: To, points: int | None = None,
                         aggregates: list[AggregateName] | None = None,  # type: ignore[valid-type]
                         ) -> SignalHistoryNode:
    one_vehicle(info)
    context = info.context
    chosen = tuple(Aggregate(a) for a in aggregates) if aggregates is not None \
        else history.ALL_AGGREGATES
    return history_node(await history.signal_history(
        context.services.db, context.actor(), root.tenant_scope, root.vin, start=start,
        end=end, signals=signals, aggregates=chosen, points=points,
        limits=context.services.settings.data))


async def battery_matrix(root: VehicleScope, info: Info, *,
                         kind: MatrixKindName, start: From, end: To,  # type: ignore[valid-type]
                         points: int | None = None) -> MatrixNode:
    one_vehicle(info)
    context = info.context
    return matrix_node(await history.battery_matrix(
        context.services.db, context.actor(), root.tenant_scope, root.vin, start=start,
        end=end, kind=MatrixKind(kind), points=points, limits=context.services.settings.data))


async def raw_frames(root: VehicleScope, info: Info, *, start: From, end: To,
                     first: int = RAW_FRAMES_DEFAULT,
                     after: str | None = None) -> GraphPage[RawFrameNode]:
    one_vehicle(info)
    context = info.context
    found = await frames.raw_frames(context.services.db, context.actor(), root.tenant_scope,
                                    root.vin, start=start, end=end, first=checked_first(first),
                                    after=after, limits=context.services.settings.data)
    return GraphPage(items=[raw_frame_node(frame) for frame in found.items],
                     next_cursor=found.next_cursor)


async def sessions(root: VehicleScope, info: Info, *, start: From, end: To) -> list[SessionNode]:
    one_vehicle(info)
    context = info.context
    found = await frames.sessions(context.services.db, context.actor(), root.tenant_scope,
                                  root.vin, start=start, end=end,
                                  limits=context.services.settings.data)
    return [session_node(item) for item in found]
