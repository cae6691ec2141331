"""Tables of the backend database (SQLAlchemy Core), on SQLite and PostgreSQL alike.

Created and changed only by the Alembic migrations in ``migrations/``; a test checks that the
migrated schema matches these definitions. Conventions: ids made at a register or here are UUID
text; money is integer cents; quantities are integer thousandths (``*_milli``); times are
timezone-aware UTC (``UtcDateTime``); JSON documents are stored as text, as received.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# An auto-incrementing 64-bit id: BIGINT on PostgreSQL, the rowid on SQLite.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """An aware datetime stored in UTC (timestamptz on PostgreSQL, text on SQLite)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


stores = Table(
    "stores",
    metadata,
    Column("code", String(10), primary_key=True),
    Column("name", Text, nullable=False),
    Column("tax_id", String(20), nullable=False),
    Column("address", Text, nullable=False),  # JSON list of lines
    Column("currency", String(3), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("registers_issued", Integer, nullable=False, server_default="0"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

devices = Table(
    "devices",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("name", String(60), nullable=False),
    Column("register_code", String(10), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("enrolled_at", UtcDateTime, nullable=False),  # last (re-)enrolment
    Column("revoked_at", UtcDateTime),
    Column("last_seq", BigInteger, nullable=False, server_default="0"),
    Column("last_seen_at", UtcDateTime),
    # A register code is held by one device that is not revoked: a replacement machine
    # (issue 9) is a new device with the code of the one it replaces, which is revoked.
    Index(
        "ux_devices_active_register",
        "store_code",
        "register_code",
        unique=True,
        sqlite_where=text("revoked_at IS NULL"),
        postgresql_where=text("revoked_at IS NULL"),
    ),
)

enrollment_codes = Table(
    "enrollment_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime),
    Column("device_id", String(36)),
    # A takeover code (``enrollment-code --replace-register``): the device it replaces.
    Column("replaces_device_id", String(36)),
)

staff = Table(
    "staff",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("name", String(80), nullable=False),
    Column("role", String(20), nullable=False),
    Column("pin_hash", Text),
    Column("active", Boolean, nullable=False, server_default="1"),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("store_code", "name"),
)

tax_rates = Table(
    "tax_rates",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("tax_class", String(20), nullable=False),
    Column("name", Text, nullable=False),
    Column("rate", String(10), nullable=False),  # Decimal percent as text
    Column("valid_from", Date, nullable=False),
    Column("valid_to", Date),
    UniqueConstraint("tax_class", "valid_from"),
)

categories = Table(
    "categories",
    metadata,
    Column("code", String(20), primary_key=True),
    Column("name", Text, nullable=False),
)

products = Table(
    "products",
    metadata,
    Column("id", String(36), primary_key=True),  # uuid5(PRODUCT_NAMESPACE, sku), as the register
    Column("sku", String(40), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("category", String(20)),
    Column("tax_class", String(20), nullable=False),
    Column("price_cents", BigInteger, nullable=False),
    Column("measure", String(10), nullable=False),
    Column("active", Boolean, nullable=False, server_default="1"),
    Column("updated_at", UtcDateTime, nullable=False),
)

barcodes = Table(
    "barcodes",
    metadata,
    Column("code", String(14), primary_key=True),  # canonical GTIN (UPC-A as EAN-13)
    Column(
        "product_id",
        String(36),
        ForeignKey("products.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
)

stock_movements = Table(
    "stock_movements",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("product_id", String(36), nullable=False),  # no FK: a sale may name an unknown one
    Column("delta_milli", BigInteger, nullable=False),
    Column("reason", String(20), nullable=False),  # sale, count, ...
    Column("device_id", String(36)),
    Column("event_id", Text),
    Column("reference", String(40)),  # the sale id, for a sale
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "store_code", "product_id"),
)

# The sum of stock_movements per store and product, kept in the same transaction as each
# movement (its row lock also orders concurrent movements of one product).
stock_levels = Table(
    "stock_levels",
    metadata,
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("product_id", String(36), nullable=False),
    Column("quantity_milli", BigInteger, nullable=False),  # on hand
    Column("updated_at", UtcDateTime, nullable=False),
    # The sum of stock_reservations of open pickup orders (available = on hand - reserved).
    Column("reserved_milli", BigInteger, nullable=False, server_default="0"),
    PrimaryKeyConstraint("store_code", "product_id"),
)

sales = Table(
    "sales",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("register_code", String(10), nullable=False),
    Column("receipt_number", String(40), nullable=False, unique=True),
    Column("event_id", Text, nullable=False),
    Column("cashier", Text, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("gross_cents", BigInteger, nullable=False),
    Column("discount_cents", BigInteger, nullable=False),
    Column("total_cents", BigInteger, nullable=False),
    Column("tax_cents", BigInteger, nullable=False),
    Column("completed_at", UtcDateTime, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("payload", Text, nullable=False),  # the event's payload, as pushed
    Index(None, "store_code", "completed_at"),
    Column("customer_id", String(36), index=True),  # the customer named (no FK: a fact)
    Column("till_id", String(36), index=True),  # the till session it fell in (issue 8)
)

abandoned_sales = Table(
    "abandoned_sales",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("register_code", String(10), nullable=False),
    Column("event_id", Text, nullable=False),
    Column("cashier", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("total_cents", BigInteger, nullable=False),
    Column("line_count", Integer, nullable=False),
    Column("abandoned_at", UtcDateTime, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("payload", Text, nullable=False),
    Column("till_id", String(36), index=True),  # the till session it fell in (issue 8)
)

# The permanent dedupe record of push: one row per (device, seq) the backend has taken.
processed_events = Table(
    "processed_events",
    metadata,
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("seq", BigInteger, nullable=False),
    Column("event_id", Text, nullable=False, index=True),
    Column("event_type", String(60), nullable=False),
    Column("payload_sha256", String(64), nullable=False),
    Column("status", String(12), nullable=False),
    Column("code", String(40)),
    Column("message", Text),
    Column("processed_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("device_id", "seq"),
)

# One row (id 1): the last change-log sequence handed out. Writers take their range with
# ``UPDATE ... SET value = value + n RETURNING value`` as the last step of their transaction;
# the row lock then orders change sequences as commits are ordered (see services/changelog.py).
change_counter = Table(
    "change_counter",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("value", BigInteger, nullable=False),
)

change_log = Table(
    "change_log",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("entity", String(20), nullable=False),
    Column("op", String(10), nullable=False),
    Column("key", String(80), nullable=False),
    Column("scope", String(10), nullable=False),  # '' for everyone, else a store code
    Column("data", Text, nullable=False),  # JSON object
    Column("changed_at", UtcDateTime, nullable=False),
    Index(None, "entity", "scope", "key"),
)


# --- click-and-collect (issue 6) ------------------------------------------------------------

# The keys of other channels (web shop, phone desk); only their SHA-256 is kept.
channel_keys = Table(
    "channel_keys",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("channel", String(20), nullable=False),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
)

# The last order number given per prefix ("W", "P", ...) and year: W-2026-000123.
order_counters = Table(
    "order_counters",
    metadata,
    Column("prefix", String(10), nullable=False),
    Column("year", Integer, nullable=False),
    Column("value", BigInteger, nullable=False),
    PrimaryKeyConstraint("prefix", "year"),
)

pickup_orders = Table(
    "pickup_orders",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("number", String(40), nullable=False, unique=True),
    Column("channel", String(20), nullable=False),
    Column("external_ref", String(60)),  # NULL when the channel gave none
    Column("request_sha256", String(64), nullable=False),  # the create request, for idempotency
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("document", Text, nullable=False),  # the whole PickupOrderData, as JSON
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    UniqueConstraint("channel", "external_ref"),
    Index(None, "status", "expires_at"),
    Column("customer_id", String(36), index=True),  # the customer the channel named
)

# Every change of state of an order: who, where, when (the audit trail; the order's document
# carries the same entries for the registers).
pickup_order_history = Table(
    "pickup_order_history",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("order_id", String(36), ForeignKey("pickup_orders.id"), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("from_status", String(20)),
    Column("status", String(20), nullable=False),
    Column("at", UtcDateTime, nullable=False),  # when it happened (a register's own time)
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("actor", Text, nullable=False),  # the channel, the cashier, "system"
    Column("place", String(40), nullable=False),  # the channel, or "T01/C02"
    Column("device_id", String(36)),
    Column("event_id", Text),
    Column("conflict", String(40)),  # the conflict code when it was applied as one
    Column("note", Text, nullable=False),
)

# What each open order holds back, per line; stock_levels.reserved_milli is their sum.
stock_reservations = Table(
    "stock_reservations",
    metadata,
    Column("order_id", String(36), ForeignKey("pickup_orders.id"), nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("store_code", String(10), nullable=False),
    Column("product_id", String(36), nullable=False),
    Column("quantity_milli", BigInteger, nullable=False),
    PrimaryKeyConstraint("order_id", "line_no"),
)

# Customer notifications, written in the transaction of the change they announce, delivered
# at least once by the notifier loop (services/notifications.py).
notifications = Table(
    "notifications",
    metadata,
    Column("id", String(36), primary_key=True),  # stable: receivers drop repeats by it
    Column("order_id", String(36), ForeignKey("pickup_orders.id"), nullable=False),
    Column("kind", String(20), nullable=False),  # ready, cancelled, expired
    Column("payload", Text, nullable=False),  # the JSON body sent
    Column("created_at", UtcDateTime, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("delivered_at", UtcDateTime),
    Column("last_error", Text),
    Index(None, "delivered_at", "next_attempt_at"),
)


# --- staff limits and the audit log (issue 7) -----------------------------------------------

# Settings that registers pull as POLICY changes, one row per policy name ("staff_limits":
# StaffLimits). A row exists once the policy was written (the defaults at the first store).
policies = Table(
    "policies",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("data", Text, nullable=False),  # JSON object, as sent to registers
    Column("updated_at", UtcDateTime, nullable=False),
)

# What managers approved at registers, and sign-ins locked after wrong PINs (audit.recorded).
# A register code is never reused within a store, so its own audit ids are unique there.
audit_log = Table(
    "audit_log",
    metadata,
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("register_code", String(10), nullable=False),
    Column("audit_id", String(36), nullable=False),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("event_id", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),  # when it happened (the register's own time)
    Column("kind", String(30), nullable=False),  # override, pin_lockout
    Column("action", String(30), nullable=False),  # discount, void, drawer, refund, price
    Column("staff_id", String(36), nullable=False),
    Column("staff_name", Text, nullable=False),
    Column("approver_id", String(36), nullable=False),
    Column("approver_name", Text, nullable=False),
    Column("reference", String(60), nullable=False),
    Column("detail", Text, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("payload", Text, nullable=False),  # the event's payload, as pushed
    PrimaryKeyConstraint("store_code", "register_code", "audit_id"),
    Index(None, "store_code", "at"),
)


# --- returns (issue 7) ------------------------------------------------------------------------

# Returns (rectifying tickets) pushed as return.completed, from any store, of a sale of any
# store or of a collected web order. Kept even when they refund more than is left of the
# original (``conflict`` says why a manager must look): the money has left.
returns = Table(
    "returns",
    metadata,
    Column("id", String(36), primary_key=True),  # the register's return_id
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("register_code", String(10), nullable=False),
    Column("return_number", String(40), nullable=False),
    Column("event_id", Text, nullable=False),
    Column("cashier", Text, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("original_kind", String(10), nullable=False),  # sale, web_order
    # The receipt or order number as the backend holds it (as sent when it is unknown).
    Column("original_reference", String(40), nullable=False),
    Column("original_id", String(36), nullable=False),  # '' when unknown
    Column("checked", Boolean, nullable=False),  # the register had the backend's quantities
    Column("total_cents", BigInteger, nullable=False),
    Column("tax_cents", BigInteger, nullable=False),
    Column("conflict", String(40)),  # over_refund, unknown_original, voucher_exists; or NULL
    Column("completed_at", UtcDateTime, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("payload", Text, nullable=False),  # the event's payload, as pushed
    UniqueConstraint("store_code", "return_number"),
    Index(None, "original_kind", "original_reference"),
    Index(None, "store_code", "completed_at"),
    Column("customer_id", String(36), index=True),  # the customer the return names
    Column("till_id", String(36), index=True),  # the till session it fell in (issue 8)
)

return_lines = Table(
    "return_lines",
    metadata,
    Column("return_id", String(36), ForeignKey("returns.id"), nullable=False),
    Column("line_no", Integer, nullable=False),
    # The line of the original it returns (as sent, or matched by product); NULL when none.
    Column("original_line_no", Integer),
    Column("product_id", String(36), nullable=False),
    Column("sku", String(40), nullable=False),
    Column("quantity_milli", BigInteger, nullable=False),
    Column("unit_refund_cents", BigInteger, nullable=False),
    Column("refund_cents", BigInteger, nullable=False),
    Column("tax_class", String(20), nullable=False),
    Column("tax_rate", String(10), nullable=False),
    Column("reason", Text, nullable=False),
    Column("disposition", String(10), nullable=False),  # sellable, damaged, supplier
    PrimaryKeyConstraint("return_id", "line_no"),
)

return_refunds = Table(
    "return_refunds",
    metadata,
    Column("return_id", String(36), ForeignKey("returns.id"), nullable=False),
    Column("position", Integer, nullable=False),  # 1, 2, ... in the payload's order
    Column("refund_id", String(36), nullable=False),
    Column("kind", String(10), nullable=False),  # cash, card, voucher (reference: its code)
    Column("amount_cents", BigInteger, nullable=False),
    Column("reference", Text, nullable=False),
    PrimaryKeyConstraint("return_id", "position"),
)


# --- store credit (issue 7) -----------------------------------------------------------------

# Vouchers issued by returns refunded as store credit (a refund of kind ``voucher``), by the code
# the register made. ``balance_cents`` is what is left; it may go below zero when a voucher was
# spent beyond its balance (offline at two registers): it records the truth for a manager.
vouchers = Table(
    "vouchers",
    metadata,
    Column("code", String(200), primary_key=True),
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),  # issued at
    Column("return_id", String(36), ForeignKey("returns.id"), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("issued_cents", BigInteger, nullable=False),
    Column("balance_cents", BigInteger, nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),  # the return's time at the register
    Column("active", Boolean, nullable=False, server_default="1"),
    Column("updated_at", UtcDateTime, nullable=False),
    Index(None, "store_code", "issued_at"),
)

# Every issue (+amount) and spend (-amount) of a voucher, with the event, sale or return that
# made it. A spend of a code the backend does not know is recorded too (``conflict`` set).
voucher_movements = Table(
    "voucher_movements",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("code", String(200), nullable=False),  # no FK: a spend may name an unknown one
    Column("kind", String(10), nullable=False),  # issue, spend
    Column("amount_cents", BigInteger, nullable=False),  # + issued, - spent
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("device_id", String(36)),
    Column("event_id", Text),
    Column("sale_id", String(36)),
    Column("return_id", String(36)),
    Column("conflict", String(40)),  # voucher_overspent, voucher_unknown; NULL when none
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "code"),
)


# --- customers (issue 7) -----------------------------------------------------------------------

# One customer for every channel. The ``*_norm`` columns are what look-ups compare (phone digits,
# email in lower case, name in lower case without accents, card without spaces); ``stamps`` is
# a JSON object field -> [changed_at ISO, "T01/C02"]: the (time, register) of the value held, for
# the field-level last-writer-wins merge. An erased customer keeps only its id and ``erased_at``.
customers = Table(
    "customers",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", Text, nullable=False),
    Column("phone", String(40), nullable=False),
    Column("email", String(200), nullable=False),
    Column("loyalty_card", String(40), nullable=False),
    Column("tax_id", String(20), nullable=False),
    Column("privacy_consent", Boolean, nullable=False),
    Column("marketing_consent", Boolean, nullable=False),
    Column("consent_at", UtcDateTime),
    Column("consent_where", String(40), nullable=False),
    Column("phone_norm", String(40), nullable=False, index=True),
    Column("email_norm", String(200), nullable=False, index=True),
    Column("name_norm", Text, nullable=False),
    Column("card_norm", String(40), nullable=False, index=True),
    Column("stamps", Text, nullable=False),  # JSON: field -> [changed_at, register]
    Column("created_where", String(40), nullable=False),  # T01/C02, web, phone
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("erased_at", UtcDateTime),  # a data-protection request: personal fields blanked
)

# Which stores' registers hold the customer (created, bought, looked up or ordered there).
customer_stores = Table(
    "customer_stores",
    metadata,
    Column("customer_id", String(36), ForeignKey("customers.id"), nullable=False),
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False, index=True),
    Column("reason", String(20), nullable=False),  # created, sale, lookup, order, merge
    Column("linked_at", UtcDateTime, nullable=False),
    PrimaryKeyConstraint("customer_id", "store_code"),
)

# Suspected duplicates (same email or phone), for a person to merge; the pair in id order.
customer_duplicates = Table(
    "customer_duplicates",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("customer_id", String(36), nullable=False, index=True),
    Column("other_id", String(36), nullable=False, index=True),
    Column("reason", String(10), nullable=False),  # email, phone
    Column("flagged_at", UtcDateTime, nullable=False),
    Column("resolved_at", UtcDateTime),
    Column("resolution", String(20)),  # merged, erased
    UniqueConstraint("customer_id", "other_id", "reason"),
)


# --- the till and the fiscal records (issue 8) ---------------------------------------------------

# Every record of every register's journal (``fiscal.recorded``), as received: never edited nor
# deleted (triggers refuse it on both databases). ``conflict`` says what the backend found
# wrong when it arrived (journal_broken, journal_gap); the record is kept either way.
fiscal_records = Table(
    "fiscal_records",
    metadata,
    Column("id", String(36), primary_key=True),  # the register's record_id
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("register_code", String(10), nullable=False),
    Column("chain_seq", BigInteger, nullable=False),
    Column("record_type", String(10), nullable=False),  # alta, anulacion, cierre
    Column("invoice_type", String(2)),  # F1, F2, F3, R5; NULL for a Z close
    Column("issuer_tax_id", String(20), nullable=False),
    Column("series_number", String(60), nullable=False),
    Column("issue_date", String(10), nullable=False),  # dd-mm-yyyy
    Column("tax_total", String(20), nullable=False),  # "123.45", as hashed
    Column("amount_total", String(20), nullable=False),
    Column("previous_fingerprint", String(64), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("generated_at", String(25), nullable=False),  # as hashed
    Column("journal_previous", String(64), nullable=False),
    Column("journal_hash", String(64), nullable=False),
    Column("source_kind", String(12), nullable=False),
    Column("source_id", String(36), nullable=False),
    Column("rectified", Text, nullable=False),  # JSON list of series numbers (R5)
    Column("replaced", Text, nullable=False),  # JSON list (F3)
    Column("recipient_tax_id", String(20), nullable=False),
    Column("recipient_name", String(120), nullable=False),
    Column("conflict", String(40)),  # journal_broken, journal_gap; NULL when it held
    Column("event_id", Text, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    UniqueConstraint("device_id", "chain_seq"),
    Index(None, "store_code", "register_code", "chain_seq"),
)

# Where each register's journal stands at the backend: the highest record held, its journal
# hash, and the huella of the last billing record (what the next record must link to).
fiscal_chains = Table(
    "fiscal_chains",
    metadata,
    Column("device_id", String(36), ForeignKey("devices.id"), primary_key=True),
    Column("last_chain_seq", BigInteger, nullable=False),
    Column("last_journal_hash", String(64), nullable=False),
    Column("last_fingerprint", String(64), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# The billing records to send to the tax agency (see services/aeat_sender.py).
fiscal_send_queue = Table(
    "fiscal_send_queue",
    metadata,
    Column("record_id", String(36), ForeignKey("fiscal_records.id"), primary_key=True),
    Column("state", String(10), nullable=False),  # pending, sent, failed
    Column("attempts", Integer, nullable=False),
    Column("last_error", Text, nullable=False),
    Column("queued_at", UtcDateTime, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),
    Column("updated_at", UtcDateTime, nullable=False),
    Index(None, "state", "next_attempt_at"),
)

till_sessions = Table(
    "till_sessions",
    metadata,
    Column("id", String(36), primary_key=True),  # the register's till_id
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("register_code", String(10), nullable=False),
    Column("cashier", Text, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("float_cents", BigInteger, nullable=False),
    Column("counted", Text, nullable=False),  # JSON: denomination in cents -> count
    Column("event_id", Text, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Index(None, "store_code", "opened_at"),
)

till_cash_movements = Table(
    "till_cash_movements",
    metadata,
    Column("id", String(36), primary_key=True),  # the register's movement_id
    Column("till_id", String(36), nullable=False, index=True),
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("register_code", String(10), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("kind", String(3), nullable=False),  # in, out
    Column("amount_cents", BigInteger, nullable=False),
    Column("reason", Text, nullable=False),
    Column("cashier", Text, nullable=False),
    Column("approved_by", Text, nullable=False),
    Column("event_id", Text, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
)

drawer_openings = Table(
    "drawer_openings",
    metadata,
    Column("id", String(36), primary_key=True),  # the register's opening_id
    Column("till_id", String(36), index=True),
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("register_code", String(10), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("cashier", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("opened", Boolean, nullable=False),
    Column("event_id", Text, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
)

# Z closes, with the register's figures; ``mismatch`` lists each figure the backend summed
# differently from the sales and returns it holds for the till (NULL when they all matched).
till_closes = Table(
    "till_closes",
    metadata,
    Column("till_id", String(36), primary_key=True),
    Column("z_number", String(40), nullable=False),
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("register_code", String(10), nullable=False),
    Column("cashier", Text, nullable=False),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime, nullable=False),
    Column("float_cents", BigInteger, nullable=False),
    Column("cash_in_cents", BigInteger, nullable=False),
    Column("cash_out_cents", BigInteger, nullable=False),
    Column("expected_cash_cents", BigInteger, nullable=False),
    Column("counted_cash_cents", BigInteger, nullable=False),
    Column("difference_cents", BigInteger, nullable=False),
    Column("sales_count", Integer, nullable=False),
    Column("sales_total_cents", BigInteger, nullable=False),
    Column("returns_count", Integer, nullable=False),
    Column("returns_total_cents", BigInteger, nullable=False),
    Column("discounts_cents", BigInteger, nullable=False),
    Column("abandoned_count", Integer, nullable=False),
    Column("abandoned_total_cents", BigInteger, nullable=False),
    Column("drawer_openings", Integer, nullable=False),
    Column("first_number", String(40), nullable=False),
    Column("last_number", String(40), nullable=False),
    Column("journal_record_id", String(36), nullable=False),
    Column("mismatch", Text),  # "figure: register X, backend Y; ..." or NULL
    Column("event_id", Text, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("payload", Text, nullable=False),  # the event's payload (counts, tenders, taxes)
    Index(None, "store_code", "closed_at"),
)

# Sale cancellations (issue 8): a completed sale annulled at its register (``sale.cancelled``),
# at most one per sale; the sale row is never edited: being here is what "cancelled" means.
# ``conflict``: cancelled_sale_unknown (the backend does not hold the sale), or NULL.
sale_cancellations = Table(
    "sale_cancellations",
    metadata,
    Column("id", String(36), primary_key=True),  # the register's cancellation_id
    Column("sale_id", String(36), nullable=False, unique=True),  # no FK: the sale may be unknown
    Column("store_code", String(10), ForeignKey("stores.code"), nullable=False),
    Column("device_id", String(36), ForeignKey("devices.id"), nullable=False),
    Column("register_code", String(10), nullable=False),
    Column("receipt_number", String(40), nullable=False),
    Column("till_id", String(36), index=True),
    Column("cashier", Text, nullable=False),
    Column("approved_by", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("total_cents", BigInteger, nullable=False),
    Column("journal_record_id", String(36), nullable=False),
    Column("conflict", String(40)),
    Column("cancelled_at", UtcDateTime, nullable=False),
    Column("event_id", Text, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("payload", Text, nullable=False),  # the event's payload, as pushed
)
