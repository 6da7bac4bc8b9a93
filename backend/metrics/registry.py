"""A minimal Prometheus registry: counters, gauges and histograms with labels, text format 0.0.4.

Written here instead of adding a dependency; the hot path is one dict lookup per labelled
child (callers may keep the child) and one float addition.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from typing import Final, Generic, TypeVar

CONTENT_TYPE: Final = "text/plain; version=0.0.4; charset=utf-8"
DEFAULT_BUCKETS: Final = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
                          2.5, 5.0, 10.0)
_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*")
_LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == int(value) and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def _label_text(names: Sequence[str], values: Sequence[str], extra: str = "") -> str:
    pairs = [f'{name}="{_escape(value)}"' for name, value in zip(names, values, strict=True)]
    if extra:
        pairs.append(extra)
    return "{" + ",".join(pairs) + "}" if pairs else ""


class CounterChild:
    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0.0

    def inc(self, amount: float = 1.0) -> None:
        if amount < 0:
            raise ValueError("a counter only goes up")
        self.value += amount


class GaugeChild:
    __slots__ = ("value",)

    def __init__(self) -> None:
        self.value = 0.0

    def set(self, value: float) -> None:
        self.value = value

    def inc(self, amount: float = 1.0) -> None:
        self.value += amount

    def dec(self, amount: float = 1.0) -> None:
        self.value -= amount


class HistogramChild:
    __slots__ = ("bounds", "counts", "sum")

    def __init__(self, bounds: tuple[float, ...]) -> None:
        self.bounds = bounds
        self.counts = [0] * (len(bounds) + 1)    # last slot: above every bound (+Inf only)
        self.sum = 0.0

    def observe(self, value: float) -> None:
        self.counts[bisect_left(self.bounds, value)] += 1
        self.sum += value


Child = TypeVar("Child", CounterChild, GaugeChild, HistogramChild)


class Family(Generic[Child]):
    """One metric name with a fixed label set; ``labels(...)`` returns the child to update."""

    kind: str = ""

    def __init__(self, name: str, help_text: str, label_names: Sequence[str]) -> None:
        if not _NAME.fullmatch(name) or not all(map(_LABEL.fullmatch, label_names)):
            raise ValueError(f"invalid metric or label name in {name}{tuple(label_names)}")
        self.name = name
        self.help = help_text
        self.label_names = tuple(label_names)
        self._children: dict[tuple[str, ...], Child] = {}

    def _new_child(self) -> Child:
        raise NotImplementedError

    def labels(self, *values: str) -> Child:
        child = self._children.get(values)
        if child is None:
            if len(values) != len(self.label_names):
                raise ValueError(f"{self.name} takes labels {self.label_names}")
            child = self._children[values] = self._new_child()
        return child

    def samples(self) -> Iterator[str]:
        raise NotImplementedError

    def render(self) -> Iterator[str]:
        yield f"# HELP {self.name} {_escape(self.help)}"
        yield f"# TYPE {self.name} {self.kind}"
        yield from self.samples()


class Counter(Family[CounterChild]):
    kind = "counter"

    def _new_child(self) -> CounterChild:
        return CounterChild()

    def inc(self, *values: str, amount: float = 1.0) -> None:
        self.labels(*values).inc(amount)

    def get(self, *values: str) -> float:
        """Current value of one child (0 when it was never touched)."""
        child = self._children.get(values)
        return 0.0 if child is None else child.value

    def samples(self) -> Iterator[str]:
        for values, child in self._children.items():
            yield f"{self.name}{_label_text(self.label_names, values)} {_number(child.value)}"


class Gauge(Family[GaugeChild]):
    kind = "gauge"

    def _new_child(self) -> GaugeChild:
        return GaugeChild()

    def get(self, *values: str) -> float:
        child = self._children.get(values)
        return 0.0 if child is None else child.value

    def samples(self) -> Iterator[str]:
        for values, child in self._children.items():
            yield f"{self.name}{_label_text(self.label_names, values)} {_number(child.value)}"


class Histogram(Family[HistogramChild]):
    kind = "histogram"

    def __init__(self, name: str, help_text: str, label_names: Sequence[str],
                 buckets: Sequence[float] = DEFAULT_BUCKETS) -> None:
        super().__init__(name, help_text, label_names)
        if "le" in self.label_names:
            raise ValueError("'le' is reserved for histogram buckets")
        self.bounds = tuple(sorted(float(bound) for bound in buckets if not math.isinf(bound)))

    def _new_child(self) -> HistogramChild:
        return HistogramChild(self.bounds)

    def samples(self) -> Iterator[str]:
        for values, child in self._children.items():
            cumulative = 0
            for bound, count in zip((*self.bounds, math.inf), child.counts, strict=True):
                cumulative += count
                labels = _label_text(self.label_names, values, f'le="{_number(bound)}"')
                yield f"{self.name}_bucket{labels} {cumulative}"
            labels = _label_text(self.label_names, values)
            yield f"{self.name}_sum{labels} {_number(child.sum)}"
            yield f"{self.name}_count{labels} {cumulative}"


FamilyT = TypeVar("FamilyT", Counter, Gauge, Histogram)


class MetricsRegistry:
    """Owns every family by name; asking twice for the same name returns the same family."""

    def __init__(self) -> None:
        self._families: dict[str, Family[CounterChild] | Family[GaugeChild]
                             | Family[HistogramChild]] = {}

    def counter(self, name: str, help_text: str, labels: Sequence[str] = ()) -> Counter:
        return self._get(Counter, name, lambda: Counter(name, help_text, labels))

    def gauge(self, name: str, help_text: str, labels: Sequence[str] = ()) -> Gauge:
        return self._get(Gauge, name, lambda: Gauge(name, help_text, labels))

    def histogram(self, name: str, help_text: str, labels: Sequence[str] = (),
                  buckets: Sequence[float] = DEFAULT_BUCKETS) -> Histogram:
        return self._get(Histogram, name, lambda: Histogram(name, help_text, labels, buckets))

    def _get(self, kind: type[FamilyT], name: str, build: Callable[[], FamilyT]) -> FamilyT:
        family = self._families.get(name)
        if family is None:
            created = build()
            self._families[name] = created
            return created
        if not isinstance(family, kind):
            raise ValueError(f"metric {name} already registered as a {family.kind}")
        return family

    def render(self) -> str:
        lines = [line for family in self._families.values() for line in family.render()]
        return "\n".join(lines) + "\n"


