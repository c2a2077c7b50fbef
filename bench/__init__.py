"""Gongshi benchmark harness: bare-stack references and platform benchmarks.

Run with ``python -m bench`` from the repository root; see bench/README.md.
"""
