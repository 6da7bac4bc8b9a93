"""Fault scenarios with ground-truth labels (docs/simulator.md)."""
