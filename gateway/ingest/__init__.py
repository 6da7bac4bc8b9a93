"""Lossless ingest: accepted frames to tenant tables, with an on-disk spool for outages."""
