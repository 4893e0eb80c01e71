"""Benchmarks, run as commands (``python -m explorer.bench.<name>``); never part of the test suite."""
