"""Customers and loyalty points at HQ (merge rule 8): ingest, change log, back-office API."""
