"""Tiny bare-stack servers, each run in its own process by a bare benchmark."""
