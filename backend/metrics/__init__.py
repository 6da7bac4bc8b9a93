"""Prometheus metrics shared by the gateway and the backend's long-running processes: the
registry (text format 0.0.4) and the ``GET /metrics`` server. It imports nothing of either side,
so both may use it (import-linter contract in pyproject.toml)."""
