"""Gift cards and store credit: balances per card, one row per posting, and the
`negative_gift_card` exception kind.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import UUID

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)
NOW = sa.text("now()")
# Frozen copies (hq_server.db.models.EXCEPTION_KINDS, shared.gift_card_events) at this revision.
KINDS_BEFORE = ("oversell", "over_refund", "count_variance", "transfer_variance", "negative_loyalty",
                "integrity", "clock_skew", "expiry")
KINDS = (*KINDS_BEFORE, "negative_gift_card")
CARD_KINDS = ("gift_card", "store_credit")
REASONS = ("load", "redeem", "refund", "unload", "adjust")


def _uuid(name: str, *args, **kw) -> sa.Column:
    return sa.Column(name, UUID(as_uuid=True), *args, **kw)


def _text(name: str, **kw) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=False, **kw)


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _kinds(kinds: tuple[str, ...]) -> None:
    # The naming convention makes the check "ck_exceptions_kind" (as 0002 created it).
    op.drop_constraint(op.f("ck_exceptions_kind"), "exceptions", type_="check")
    op.create_check_constraint("kind", "exceptions", _one_of("kind", kinds))


def upgrade() -> None:
    op.execute("SET LOCAL lock_timeout = '5s'")
    op.create_table(
        "gift_cards",
        _text("card_number", primary_key=True),
        _text("kind", server_default="gift_card"),
        _text("currency"),
        _uuid("customer_id"),
        _uuid("first_store_id", sa.ForeignKey("stores.id")),
        sa.Column("balance_minor", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("created_at", TS, nullable=False, server_default=NOW),
        sa.Column("updated_at", TS, nullable=False, server_default=NOW),
        sa.CheckConstraint(_one_of("kind", CARD_KINDS), name="kind"),
    )
    op.create_index("ix_gift_cards_customer_id", "gift_cards", ["customer_id"])
    op.create_table(
        "gift_card_postings",
        _uuid("event_id", primary_key=True),
        _text("card_number"),
        _uuid("store_id", sa.ForeignKey("stores.id"), nullable=False),
        _uuid("device_id", sa.ForeignKey("devices.id")),
        sa.Column("seq", sa.BigInteger()),
        sa.Column("delta_minor", sa.BigInteger(), nullable=False),
        _text("reason"),
        *(_text(name, server_default="") for name in ("sale_id", "return_id", "receipt_no",
                                                        "approved_by", "note")),
        sa.Column("balance_after", sa.BigInteger(), nullable=False),
        _text("hlc", server_default=""),
        sa.Column("at", TS, nullable=False),
        sa.CheckConstraint(_one_of("reason", REASONS), name="reason"),
    )
    op.create_index("ix_gift_card_postings_card_number_device_id", "gift_card_postings",
                    ["card_number", "device_id"])
    op.create_index("ix_gift_card_postings_card_number_at", "gift_card_postings",
                    ["card_number", "at"])
    _kinds(KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM exceptions WHERE kind = 'negative_gift_card'")
    _kinds(KINDS_BEFORE)
    for table in ("gift_card_postings", "gift_cards"):
        op.drop_table(table)
