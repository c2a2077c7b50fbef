"""Bare-stack reference benchmarks: the libraries alone, without Gongshi.

Every module in this package is imported by the harness and registers itself.
"""
