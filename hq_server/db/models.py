"""SQLAlchemy models: the HQ schema. Money is BIGINT minor units + an ISO currency, never float.

The migrations in hq_server/migrations are the source of truth for the live schema; these
mappings must stay in step with them (the migration test compares the two).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import INET, JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.journal import GENESIS_HASH

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Timestamp = DateTime(timezone=True)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _uuid_pk() -> Mapped[uuid.UUID]:
    return mapped_column(UUID(as_uuid=True), primary_key=True)


class Store(Base):
    __tablename__ = "stores"
    id: Mapped[uuid.UUID] = _uuid_pk()
    code: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    # Pricing (migration 0007; tax rates per class are hq_server.catalog.models.TaxRate).
    prices_include_tax: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    cash_rounding_minor: Mapped[int] = mapped_column(Integer, server_default="1")


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (
        Index("ix_products_category_sku", "category", "sku"),  # migration 0011
        # Search by any part of the SKU or name (db.text_search; migration 0014).
        Index("ix_products_sku_trgm", "sku", postgresql_using="gin", postgresql_ops={"sku": "gin_trgm_ops"}),
        Index("ix_products_name_trgm", "name", postgresql_using="gin", postgresql_ops={"name": "gin_trgm_ops"}),
    )
    id: Mapped[uuid.UUID] = _uuid_pk()
    sku: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text, server_default="")
    vendor: Mapped[str] = mapped_column(Text, server_default="")
    price_minor: Mapped[int] = mapped_column(BigInteger)
    cost_minor: Mapped[int] = mapped_column(BigInteger, server_default="0")
    currency: Mapped[str] = mapped_column(Text)
    tax_class: Mapped[str] = mapped_column(Text, server_default="standard")
    reorder_point: Mapped[int] = mapped_column(Integer, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    updated_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    # Migration 0010 (catalogue_admin): a variant names its parent and its size/colour.
    description: Mapped[str] = mapped_column(Text, server_default="")
    unit: Mapped[str] = mapped_column(Text, server_default="each")
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("products.id"), index=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))


class ProductBarcode(Base):
    __tablename__ = "product_barcodes"
    __table_args__ = (Index("ix_product_barcodes_barcode_trgm", "barcode", postgresql_using="gin",
                            postgresql_ops={"barcode": "gin_trgm_ops"}),)  # migration 0014
    barcode: Mapped[str] = mapped_column(Text, primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)


class Device(Base):
    __tablename__ = "devices"
    id: Mapped[uuid.UUID] = _uuid_pk()
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    token_hash: Mapped[str] = mapped_column(Text, unique=True)
    app_version: Mapped[str] = mapped_column(Text, server_default="")
    enrolled_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp)
    last_seen_at: Mapped[datetime | None] = mapped_column(Timestamp)
    last_seq: Mapped[int] = mapped_column(BigInteger, server_default="0")
    last_hash: Mapped[str] = mapped_column(Text, server_default=GENESIS_HASH)
    # Set when the device broke its chain (merge rule 9); its pushes are refused until released.
    quarantined_at: Mapped[datetime | None] = mapped_column(Timestamp)
    quarantine_reason: Mapped[str | None] = mapped_column(Text)
    # Device clock minus HQ clock, as last measured on a push of fresh events.
    clock_offset_ms: Mapped[int | None] = mapped_column(BigInteger)
    last_received_at: Mapped[datetime | None] = mapped_column(Timestamp)
    # Credential rotation (migration 0009): a newly issued token works alongside the old one until
    # the till first uses it, so a lost answer never locks the till out.
    next_token_hash: Mapped[str | None] = mapped_column(Text, unique=True)
    next_token_issued_at: Mapped[datetime | None] = mapped_column(Timestamp)
    credential_rotated_at: Mapped[datetime | None] = mapped_column(Timestamp)
    rotation_requested_at: Mapped[datetime | None] = mapped_column(Timestamp)  # by a person at HQ
    # The till's own report with each sync request: events waiting, and the oldest one's time.
    backlog_events: Mapped[int | None] = mapped_column(BigInteger)
    oldest_unsent_at: Mapped[datetime | None] = mapped_column(Timestamp)
    backlog_reported_at: Mapped[datetime | None] = mapped_column(Timestamp)


class EnrolmentCode(Base):
    __tablename__ = "enrolment_codes"
    code_hash: Mapped[str] = mapped_column(Text, primary_key=True)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(Timestamp)
    used_at: Mapped[datetime | None] = mapped_column(Timestamp)
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("devices.id"))


class Event(Base):
    """A till's journal event as received. Append-only (a trigger refuses UPDATE/DELETE)."""

    __tablename__ = "events"
    __table_args__ = (UniqueConstraint("device_id", "seq"),)
    event_id: Mapped[uuid.UUID] = _uuid_pk()
    # No foreign keys on the rows ingest appends by the thousand (migration 0018).
    device_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    seq: Mapped[int] = mapped_column(BigInteger)
    hlc: Mapped[str] = mapped_column(Text)
    type: Mapped[str] = mapped_column(Text)
    schema_version: Mapped[int] = mapped_column(Integer)
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    prev_hash: Mapped[str] = mapped_column(Text)
    hash: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())


class Sale(Base):
    __tablename__ = "sales"
    id: Mapped[uuid.UUID] = _uuid_pk()
    store_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))  # no foreign key: 0018
    device_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    event_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    receipt_no: Mapped[str] = mapped_column(Text)
    total_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(Text)
    line_count: Mapped[int] = mapped_column(Integer)
    sold_at: Mapped[datetime] = mapped_column(Timestamp, index=True)


class SaleLine(Base):
    __tablename__ = "sale_lines"
    sale_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)  # no FK: 0018
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No foreign key: a sale is a fact and is kept even if it names a product HQ has dropped.
    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    line_total_minor: Mapped[int] = mapped_column(BigInteger)


class StockMovement(Base):
    """A signed stock delta. Append-only; on-hand is the sum of these (merge rule 2).

    `reason` is the movement's code (sale, return, damage, transfer_out, count, ...). A till's
    movement names its event (device, cashier and receipt are read from it); one made at HQ names
    its person (`user_id`) and document (`reference`: transfer, count or adjustment number).
    Every movement since migration 0006 carries an hlc (HQ stamps its own), which is what a
    count compares with (merge rule 3).
    """

    __tablename__ = "stock_movements"
    __table_args__ = (
        Index("ix_stock_movements_product_id_store_id_hlc", "product_id", "store_id", "hlc"),
        # FIFO valuation's receipt layers (migrations 0008, 0016)
        Index("ix_stock_movements_receipts", "product_id", "store_id", "id",
              postgresql_include=["delta", "unit_cost_minor"], postgresql_where=text("reason = 'receipt'")),
    )
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    store_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    delta: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(Text)
    event_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    hlc: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    reference: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    note: Mapped[str | None] = mapped_column(Text)
    unit_cost_minor: Mapped[int | None] = mapped_column(BigInteger)  # receipts only (0016); a cost


class StockOnHand(Base):
    """The sum of a (product, store)'s movements, kept by the ledger as they are written.

    `counted_hlc`/`count_id` name the last posted count: a movement stamped at or before it is
    absorbed into that count's variance instead of moving stock (merge rule 3).
    """

    __tablename__ = "stock_on_hand"
    __table_args__ = (Index("ix_stock_on_hand_store_id", "store_id"),)  # migration 0011
    product_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    store_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    on_hand: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    counted_hlc: Mapped[str | None] = mapped_column(Text)
    count_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))


class ChangeLog(Base):
    """Commit-ordered log of what tills pull (see changelog.service.append_changes)."""

    __tablename__ = "change_log"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    store_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    entity_id: Mapped[str] = mapped_column(Text)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())


EXCEPTION_KINDS = ("oversell", "over_refund", "count_variance", "transfer_variance",
                   "negative_loyalty", "integrity", "clock_skew", "expiry", "negative_gift_card")
TILL_USER_ROLES = ("cashier", "supervisor", "manager")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class ChainException(Base):
    """A merge-rule exception for a person to resolve (the exceptions worklist).

    `dedupe_key` is unique: re-sent events never raise the same exception twice.
    """

    __tablename__ = "exceptions"
    __table_args__ = (
        CheckConstraint(_one_of("kind", EXCEPTION_KINDS), name="kind"),
        # A customer's negative-loyalty exceptions, newest first (migration 0021).
        Index("ix_exceptions_negative_loyalty_customer", text("(details ->> 'customer_id')"),
              text("raised_at DESC"), postgresql_where=text("kind = 'negative_loyalty'")),
    )
    id: Mapped[uuid.UUID] = _uuid_pk()
    kind: Mapped[str] = mapped_column(Text, index=True)
    # No foreign keys: an oversold push raises one per line (migration 0018).
    store_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    device_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    product_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    event_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    dedupe_key: Mapped[str] = mapped_column(Text, unique=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    raised_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    resolved_at: Mapped[datetime | None] = mapped_column(Timestamp)
    resolved_by: Mapped[str | None] = mapped_column(Text)  # the HQ user's email, for display
    resolved_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hq_users.id"))
    resolution: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class TillUser(Base):
    """A person who signs in at a till. `store_id` None means every store."""

    __tablename__ = "till_users"
    __table_args__ = (
        CheckConstraint(_one_of("role", TILL_USER_ROLES), name="role"),
        CheckConstraint("max_discount_bp BETWEEN 0 AND 10000", name="max_discount_bp"),
    )
    id: Mapped[uuid.UUID] = _uuid_pk()
    store_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stores.id"))
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    pin_hash: Mapped[str] = mapped_column(Text)  # argon2id, encoded
    badge_hash: Mapped[str | None] = mapped_column(Text, unique=True)  # sha256 hex
    max_discount_bp: Mapped[int] = mapped_column(Integer, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    updated_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())


HQ_USER_ROLES = ("admin", "owner", "buyer", "store_manager", "inventory", "viewer")


class HqUser(Base):
    """A person who signs in to the HQ back office. `email` is kept lower-case (a check says so)."""

    __tablename__ = "hq_users"
    __table_args__ = (
        CheckConstraint(_one_of("role", HQ_USER_ROLES), name="role"),
        CheckConstraint("email = lower(email)", name="email_lower"),
    )
    id: Mapped[uuid.UUID] = _uuid_pk()
    email: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(Text)  # argon2id, encoded
    role: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())


class UserStore(Base):
    """The stores a store-scoped user (store_manager, inventory) may see and act on."""

    __tablename__ = "user_stores"
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hq_users.id"), primary_key=True)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"), primary_key=True)


class AuthSession(Base):
    """One sign-in: the family of refresh tokens it rotates through. Revoked as a whole."""

    __tablename__ = "auth_sessions"
    id: Mapped[uuid.UUID] = _uuid_pk()
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hq_users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(Timestamp)
    revoked_reason: Mapped[str | None] = mapped_column(Text)


class RefreshToken(Base):
    """An opaque refresh token, stored as SHA-256; used once (rotation), then kept to spot reuse."""

    __tablename__ = "refresh_tokens"
    token_hash: Mapped[str] = mapped_column(Text, primary_key=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("auth_sessions.id"), index=True)
    issued_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(Timestamp)
    used_at: Mapped[datetime | None] = mapped_column(Timestamp)


class PasswordResetToken(Base):
    """A one-time password reset token sent by email, stored as SHA-256."""

    __tablename__ = "password_reset_tokens"
    token_hash: Mapped[str] = mapped_column(Text, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("hq_users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(Timestamp)
    used_at: Mapped[datetime | None] = mapped_column(Timestamp)


class LoginFailure(Base):
    """A failed sign-in, counted per email and per client IP for rate limiting (all workers)."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now(), index=True)
    email: Mapped[str] = mapped_column(Text, index=True)
    ip: Mapped[str | None] = mapped_column(Text, index=True)


class AuditEntry(Base):
    """Who changed what, with before and after. Append-only (a trigger refuses UPDATE/DELETE)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    at: Mapped[datetime] = mapped_column(Timestamp, server_default=func.now(), index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("hq_users.id"), index=True)
    action: Mapped[str] = mapped_column(Text)
    entity: Mapped[str] = mapped_column(Text)
    entity_id: Mapped[str | None] = mapped_column(Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    ip: Mapped[str | None] = mapped_column(INET)


class OverrideEntry(Base):
    """A till's OverrideRecorded, projected for the override log (one row per event)."""

    __tablename__ = "overrides"
    __table_args__ = (Index("ix_overrides_store_id_at", "store_id", "at"),)
    event_id: Mapped[uuid.UUID] = _uuid_pk()
    override_id: Mapped[str] = mapped_column(Text)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    action: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(Text)
    requested_by_id: Mapped[str] = mapped_column(Text)
    approved_by: Mapped[str] = mapped_column(Text)
    approved_by_id: Mapped[str] = mapped_column(Text)
    before: Mapped[str] = mapped_column(Text)
    after: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    sale_id: Mapped[str] = mapped_column(Text)  # "" when the override authorised no sale
    at: Mapped[datetime] = mapped_column(Timestamp)


class ShiftClose(Base):
    """A till's ShiftClosed (the Z), projected for shift reports (one row per event)."""

    __tablename__ = "shift_closes"
    __table_args__ = (Index("ix_shift_closes_store_id_at", "store_id", "at"),)
    event_id: Mapped[uuid.UUID] = _uuid_pk()
    shift_id: Mapped[str] = mapped_column(Text)
    store_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stores.id"))
    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("devices.id"))
    closed_by: Mapped[str] = mapped_column(Text)
    closed_by_id: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(Text)
    float_minor: Mapped[int] = mapped_column(BigInteger)
    sales_count: Mapped[int] = mapped_column(Integer)
    sales_total_minor: Mapped[int] = mapped_column(BigInteger)
    returns_count: Mapped[int] = mapped_column(Integer)
    returns_total_minor: Mapped[int] = mapped_column(BigInteger)
    paid_in_minor: Mapped[int] = mapped_column(BigInteger)
    paid_out_minor: Mapped[int] = mapped_column(BigInteger)
    drops_minor: Mapped[int] = mapped_column(BigInteger)
    expected_cash_minor: Mapped[int] = mapped_column(BigInteger)
    counted_cash_minor: Mapped[int] = mapped_column(BigInteger)
    over_short_minor: Mapped[int] = mapped_column(BigInteger)
    tender_totals: Mapped[dict[str, Any]] = mapped_column(JSONB)
    at: Mapped[datetime] = mapped_column(Timestamp)
