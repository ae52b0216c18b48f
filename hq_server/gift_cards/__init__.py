"""Gift cards and store credit at HQ: balances as counters of till postings (merge rule 8's kind)."""
