"""Alembic environment: online migrations only, URL handed in by hq_server.db.migrate."""

from alembic import context
from sqlalchemy import create_engine, text

from hq_server.db.all_models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    engine = create_engine(url)
    with engine.connect() as connection:
        # Fail fast instead of queueing behind a long transaction and blocking everyone after us.
        connection.execute(text("SET lock_timeout = '10s'"))
        connection.commit()
        context.configure(connection=connection, target_metadata=target_metadata,
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations_online()
