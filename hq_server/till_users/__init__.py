"""People who sign in at tills: owned at HQ, pulled by tills (merge rule 6)."""
