"""Database plumbing: models, sessions, migrations and the embedded PostgreSQL cluster."""
