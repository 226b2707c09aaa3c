"""Benchmarks run by hand (`python -m bench.search`, `python -m bench.capture`), never by pytest."""
