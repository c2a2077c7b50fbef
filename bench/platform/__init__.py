"""Platform benchmarks.

Every module in this package is imported by the harness; a module registers
its benchmarks at import time with ``bench.harness.register`` (or the
``@benchmark`` decorator), each naming its bare-stack ``reference_key``.
"""
