"""The stock ledger: append-only movements and the on-hand they sum to (merge rule 2)."""
