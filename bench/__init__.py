"""`make bench` and `make faults`: measure the portal as it runs in production, and break it on purpose.

Run as modules from the project root: ``python -m bench.run`` and ``python -m bench.faults``.
See docs/benchmarks.md for what is measured and how to read the figures.
"""
