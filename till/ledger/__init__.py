"""The local ledger: one SQLite file holding the append-only journal and its projections."""

from .ledger import Ledger, LedgerClosed, NotEnrolled, StoreMeta, UnitOfWork

__all__ = ["Ledger", "LedgerClosed", "NotEnrolled", "StoreMeta", "UnitOfWork"]
