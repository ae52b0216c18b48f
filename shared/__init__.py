"""Pure core shared by till and HQ: money, ids, clocks, journal events, wire messages, merge rules.

Imports only the standard library (and pydantic for wire messages). Never Qt, FastAPI or a database.
"""
