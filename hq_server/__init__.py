"""TillHQ head-office server: FastAPI over PostgreSQL (see docs/ARCHITECTURE.md)."""
