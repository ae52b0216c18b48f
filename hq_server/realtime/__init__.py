"""Realtime fan-out through PostgreSQL LISTEN/NOTIFY, so every HQ worker sees every change."""
