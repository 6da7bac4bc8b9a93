"""Write one benchmark's results into docs/benchmarks.md, with the machine and the date.

Each benchmark owns a section between ``<!-- bench:NAME -->`` markers, so re-running one
benchmark replaces only its own figures.
"""

from __future__ import annotations

import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path

# NEVGUARD_BENCH_REPORT sends a trial run's section elsewhere (docs/benchmarks.md holds the
# runs worth keeping).
REPORT = Path(os.environ.get("NEVGUARD_BENCH_REPORT")
              or Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md")
HEADER = ("# Benchmarks\n\nEvery figure here was written by a script in `bench/`; re-run it to "
          "refresh its section. Each section names the machine and the date it was measured on.\n")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{cpu}, {os.cpu_count()} cores{memory}, Python {platform.python_version()}, "
            f"{platform.system()} {platform.release()}")


def write_section(name: str, title: str, body: str) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (f"<!-- bench:{name} -->\n## {title}\n\nMeasured {stamp} on {machine()} "
               f"by `bench/{name}.py`.\n\n{body.rstrip()}\n<!-- /bench:{name} -->")
    text = REPORT.read_text() if REPORT.exists() else HEADER
    pattern = re.compile(rf"<!-- bench:{re.escape(name)} -->.*?<!-- /bench:{re.escape(name)} -->",
                         re.DOTALL)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else (
        text.rstrip() + "\n\n" + section + "\n")
    REPORT.write_text(text)
