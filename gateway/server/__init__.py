"""The asyncio GB/T 32960 edge: listener, per-connection sessions, limits, answers, metrics.

Start with ``main.serve`` (production) or ``gateway.Gateway`` (tests); the interfaces the storage
side implements are in ``interfaces.py``. Session rules and limits: docs/gateway.md.
"""
