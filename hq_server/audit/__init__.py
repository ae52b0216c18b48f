"""The audit log: who changed what at HQ, with before and after. Append-only."""
