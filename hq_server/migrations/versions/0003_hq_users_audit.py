"""HQ users and store scope, sign-in sessions and refresh tokens, password resets, login
failures (rate limiting), the append-only audit log, and who resolved an exception.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import INET, JSONB, UUID

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
NOW = sa.text("now()")
# Frozen copy of hq_server.db.models.HQ_USER_ROLES.
ROLES = ("admin", "owner", "buyer", "store_manager", "inventory", "viewer")


def _uuid(name: str, *args, **kw) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), *args, **kw)


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "hq_users",
        _uuid("id", primary_key=True),
        sa.Column("email", sa.Text(), nullable=False, unique=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.text("true")),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.CheckConstraint(f"role IN ({', '.join(repr(r) for r in ROLES)})", name="role"),
        sa.CheckConstraint("email = lower(email)", name="email_lower"),
    )
    op.create_table(
        "user_stores",
        _uuid("user_id", sa.ForeignKey("hq_users.id"), primary_key=True),
        _uuid("store_id", sa.ForeignKey("stores.id"), primary_key=True),
    )
    op.create_table(
        "auth_sessions",
        _uuid("id", primary_key=True),
        _uuid("user_id", sa.ForeignKey("hq_users.id"), nullable=False, index=True),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("revoked_at", TS),
        sa.Column("revoked_reason", sa.Text()),
    )
    op.create_table(
        "refresh_tokens",
        sa.Column("token_hash", sa.Text(), primary_key=True),
        _uuid("session_id", sa.ForeignKey("auth_sessions.id"), nullable=False, index=True),
        sa.Column("issued_at", TS, nullable=False, server_default=NOW),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS),
    )
    op.create_table(
        "password_reset_tokens",
        sa.Column("token_hash", sa.Text(), primary_key=True),
        _uuid("user_id", sa.ForeignKey("hq_users.id"), nullable=False, index=True),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("used_at", TS),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("at", TS, nullable=False, server_default=NOW, index=True),
        sa.Column("email", sa.Text(), nullable=False, index=True),
        sa.Column("ip", sa.Text(), index=True),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(), primary_key=True),
        sa.Column("at", TS, nullable=False, server_default=NOW, index=True),
        _uuid("user_id", sa.ForeignKey("hq_users.id"), index=True),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("entity", sa.Text(), nullable=False),
        sa.Column("entity_id", sa.Text()),
        sa.Column("before", JSONB()),
        sa.Column("after", JSONB()),
        sa.Column("ip", INET()),
    )
    # refuse_change() comes from 0001: the audit trail is a fact, like events.
    op.execute("CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
               "FOR EACH ROW EXECUTE FUNCTION refuse_change()")
    op.execute("CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
               "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()")
    op.add_column("exceptions", _uuid("resolved_by_user_id", sa.ForeignKey("hq_users.id")))


def downgrade() -> None:
    op.drop_column("exceptions", "resolved_by_user_id")
    for table in ("audit_log", "login_failures", "password_reset_tokens", "refresh_tokens",
                  "auth_sessions", "user_stores", "hq_users"):
        op.drop_table(table)
