"""Master data owned by HQ: stores and products (merge rule 6)."""
