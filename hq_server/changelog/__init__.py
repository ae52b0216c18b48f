"""The commit-ordered change log tills pull: master data and stock levels."""
