"""Seed data: a small known catalogue for tests, a believable chain for demos and benchmarks."""
