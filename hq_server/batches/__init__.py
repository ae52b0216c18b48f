"""Batches (lots) and expiry dates for products that track them: FEFO and expiry alerts."""
