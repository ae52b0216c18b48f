"""The till: local SQLite ledger, sale logic, receipts, sync agent and Qt views.

Nothing here opens a file, thread, socket or window at import; `till.bootstrap` wires it all.
"""
