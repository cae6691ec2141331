"""Tables of the register database (SQLAlchemy Core). Created only by Alembic migrations.

Conventions: ids made anywhere are UUID text; money is integer cents; quantities are integer
thousandths (``*_milli``) where SQL sums them, Decimal text where they are only stored; times
are ISO 8601 text with their UTC offset.
"""

from __future__ import annotations

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

store_identity = Table(
    "store_identity",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1
    Column("store_code", String(10), nullable=False),
    Column("register_code", String(10), nullable=False),
    Column("store_name", Text, nullable=False),
    Column("tax_id", String(20), nullable=False),
    Column("address", Text, nullable=False),  # lines joined by "\n"
    Column("currency", String(3), nullable=False),
)

tax_rates = Table(
    "tax_rates",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("tax_class", String(20), nullable=False),
    Column("name", Text, nullable=False),
    Column("rate", String(10), nullable=False),  # Decimal percent as text
    Column("valid_from", String(10), nullable=False),
    Column("valid_to", String(10)),
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
    Column("pk", Integer, primary_key=True),  # local, stable rowid for the FTS index
    Column("id", String(36), nullable=False, unique=True),
    Column("sku", String(40), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("category", String(20)),
    Column("tax_class", String(20), nullable=False),
    Column("price_cents", Integer, nullable=False),
    Column("measure", String(10), nullable=False),
    Column("active", Integer, nullable=False, server_default="1"),
)

barcodes = Table(
    "barcodes",
    metadata,
    Column("code", String(14), primary_key=True),
    Column("product_pk", Integer, ForeignKey("products.pk", ondelete="CASCADE"), nullable=False),
    sqlite_with_rowid=False,
)
Index("ix_barcodes_product_pk", barcodes.c.product_pk)

stock_levels = Table(
    "stock_levels",
    metadata,
    Column("product_pk", Integer, ForeignKey("products.pk", ondelete="CASCADE"), primary_key=True),
    Column("quantity_milli", Integer, nullable=False),
)

stock_movements = Table(
    "stock_movements",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("product_pk", Integer, ForeignKey("products.pk"), nullable=False),
    Column("delta_milli", Integer, nullable=False),
    Column("reason", String(20), nullable=False),
    Column("reference", String(36), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("synced", Integer, nullable=False, server_default="0"),
)
Index("ix_stock_movements_product_pk", stock_movements.c.product_pk)
Index("ix_stock_movements_reference", stock_movements.c.reference)

receipt_series = Table(
    "receipt_series",
    metadata,
    Column("series", String(40), primary_key=True),
    Column("last_number", Integer, nullable=False),
)

sales = Table(
    "sales",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("receipt_number", String(40), nullable=False, unique=True),
    Column("receipt_year", Integer, nullable=False),
    Column("receipt_seq", Integer, nullable=False),
    Column("store_code", String(10), nullable=False),
    Column("register_code", String(10), nullable=False),
    Column("cashier", Text, nullable=False),
    Column("completed_at", String(32), nullable=False),
    Column("completed_utc", String(32), nullable=False),  # for range queries
    Column("currency", String(3), nullable=False),
    Column("gross_cents", Integer, nullable=False),
    Column("discount_cents", Integer, nullable=False),
    Column("total_cents", Integer, nullable=False),
    Column("tax_cents", Integer, nullable=False),
    Column("change_cents", Integer, nullable=False),
    Column("item_count", String(16), nullable=False),
    Column("customer_id", String(36)),  # the customer attached to the sale (issue 7)
    Column("till_id", String(36)),  # the till session it fell in (issue 8)
)
Index("ix_sales_completed_utc", sales.c.completed_utc)
Index("ix_sales_customer_id", sales.c.customer_id)

sale_lines = Table(
    "sale_lines",
    metadata,
    Column("sale_id", String(36), ForeignKey("sales.id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("product_id", String(36), nullable=False),
    Column("sku", String(40), nullable=False),
    Column("name", Text, nullable=False),
    Column("measure", String(10), nullable=False),
    Column("quantity", String(16), nullable=False),
    Column("unit_price_cents", Integer, nullable=False),
    Column("gross_cents", Integer, nullable=False),
    Column("discount_cents", Integer, nullable=False),
    Column("total_cents", Integer, nullable=False),
    Column("tax_class", String(20), nullable=False),
    Column("tax_rate", String(10), nullable=False),
    Column("base_cents", Integer, nullable=False),
    Column("tax_cents", Integer, nullable=False),
)

sale_taxes = Table(
    "sale_taxes",
    metadata,
    Column("sale_id", String(36), ForeignKey("sales.id"), primary_key=True),
    Column("tax_class", String(20), primary_key=True),
    Column("rate", String(10), primary_key=True),
    Column("label", Text, nullable=False),
    Column("base_cents", Integer, nullable=False),
    Column("tax_cents", Integer, nullable=False),
    Column("total_cents", Integer, nullable=False),
)

sale_payments = Table(
    "sale_payments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("sale_id", String(36), ForeignKey("sales.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", String(10), nullable=False),
    Column("amount_cents", Integer, nullable=False),
    Column("tendered_cents", Integer, nullable=False),
    Column("reference", Text, nullable=False),
)
Index("ix_sale_payments_sale_id", sale_payments.c.sale_id)

outbox = Table(
    "outbox",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(36), nullable=False, unique=True),
    Column("event_type", String(40), nullable=False),
    Column("payload", Text, nullable=False),
    Column("occurred_at", String(32), nullable=False),
    Column("state", String(12), nullable=False, server_default="pending"),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    sqlite_autoincrement=True,
)

parked_sales = Table(
    "parked_sales",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("parked_at", String(32), nullable=False),
    Column("cashier", Text, nullable=False),
    Column("label", Text, nullable=False),
    Column("item_count", String(16), nullable=False),
    Column("total_cents", Integer, nullable=False),
    Column("cart", Text, nullable=False),
)

abandoned_sales = Table(
    "abandoned_sales",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("abandoned_at", String(32), nullable=False),
    Column("abandoned_utc", String(32), nullable=False),
    Column("cashier", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("total_cents", Integer, nullable=False),
    Column("cart", Text, nullable=False),
    Column("till_id", String(36)),
)

receipt_prints = Table(
    "receipt_prints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sale_id", String(36), ForeignKey("sales.id"), nullable=False),
    Column("printed_at", String(32), nullable=False),
    Column("copy", Integer, nullable=False),
    Column("ok", Integer, nullable=False),
    Column("error", Text, nullable=False),
    # A failed attempt that may still have put some or all of the receipt on paper.
    Column("maybe_printed", Integer, nullable=False, server_default="0"),
)
Index("ix_receipt_prints_sale_id", receipt_prints.c.sale_id)

drawer_openings = Table(
    "drawer_openings",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("opened_at", String(32), nullable=False),
    Column("opened_utc", String(32), nullable=False),
    Column("cashier", Text, nullable=False),
    Column("reason", Text, nullable=False),  # "sale" for a cash sale's kick, else the reason
    Column("sale_id", String(36)),
    Column("ok", Integer, nullable=False),
    Column("error", Text, nullable=False),
    Column("till_id", String(36)),
)
Index("ix_drawer_openings_opened_utc", drawer_openings.c.opened_utc)

sync_state = Table(
    "sync_state",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1
    Column("device_id", String(36)),
    Column("backend_url", Text),
    Column("register_name", Text),
    Column("cursor", Text, nullable=False, server_default="0"),
    Column("enrolled_at", String(32)),
    Column("last_push_at", String(32)),
    Column("last_pull_at", String(32)),
    Column("last_success_at", String(32)),
    Column("last_error", Text),
    Column("last_error_at", String(32)),
)

attention_items = Table(
    "attention_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", Integer),
    Column("event_id", String(36)),
    Column("event_type", String(40), nullable=False),
    Column("status", String(12), nullable=False),  # rejected | conflict
    Column("code", Text, nullable=False),
    Column("message", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("resolved_at", String(32)),
)

# Click-and-collect: the backend's copy of each pickup order of the store (``data`` is the whole
# ``PickupOrderData`` as pulled, lines and history included), searchable columns taken from it,
# and the register's own progress on top: a local status ahead of the backend's until its
# ``pickup.transition`` events come back applied (``local_status`` set = pending sync), the
# backend version it acted on, and the quantities picked here (``progress``, JSON).
pickup_orders = Table(
    "pickup_orders",
    metadata,
    Column("pk", Integer, primary_key=True),  # grows with each new order: "new since"
    Column("order_id", String(36), nullable=False, unique=True),
    Column("number", String(40), nullable=False),
    Column("status", String(20), nullable=False),  # the backend's
    Column("version", Integer, nullable=False),
    Column("customer_name", Text, nullable=False),
    Column("phone_digits", String(40), nullable=False),
    Column("search_text", Text, nullable=False),  # folded: number, name, email, phone
    Column("pickup_code", String(12), nullable=False),
    Column("qr_payload", Text, nullable=False),
    Column("paid_online", Integer, nullable=False),
    Column("total_cents", Integer, nullable=False),
    Column("created_utc", String(32), nullable=False),
    Column("expires_utc", String(32), nullable=False),
    Column("data", Text, nullable=False),
    Column("local_status", String(20)),
    Column("base_version", Integer),
    Column("local_at", String(32)),
    Column("progress", Text, nullable=False, server_default="{}"),
    Column("conflict", String(20), nullable=False, server_default=""),
)
Index("ix_pickup_orders_number", pickup_orders.c.number)
Index("ix_pickup_orders_status", pickup_orders.c.status)
Index("ix_pickup_orders_phone_digits", pickup_orders.c.phone_digits)

# Staff and permissions (issue 7): the store's staff as pulled (``staff`` changes; read-only at
# the register), the backend's policies by name (``policy`` changes, ``data`` is the JSON as
# pulled: "staff_limits" among them) and the PIN failures counted here, kept on disk so that a
# restart does not lift a lockout.
staff = Table(
    "staff",
    metadata,
    Column("staff_id", String(36), primary_key=True),
    Column("store_code", String(10), nullable=False),
    Column("name", Text, nullable=False),
    Column("role", String(20), nullable=False),
    Column("pin_hash", Text),
    Column("active", Integer, nullable=False, server_default="1"),
)

policies = Table(
    "policies",
    metadata,
    Column("name", String(60), primary_key=True),
    Column("data", Text, nullable=False),
)

pin_failures = Table(
    "pin_failures",
    metadata,
    Column("staff_id", String(36), primary_key=True),
    Column("failures", Integer, nullable=False, server_default="0"),
    Column("locked_until", String(32)),  # ISO 8601 UTC; None when not locked
)

# Returns (issue 7): rectifying tickets in the register's own series for returns
# (``T01-C01-D2026-000001``), what each line gave back and where it went, how the money was
# refunded, and the print log of their receipts. Facts: never edited.
returns = Table(
    "returns",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("return_number", String(40), nullable=False, unique=True),
    Column("return_year", Integer, nullable=False),
    Column("return_seq", Integer, nullable=False),
    Column("store_code", String(10), nullable=False),
    Column("register_code", String(10), nullable=False),
    Column("cashier", Text, nullable=False),
    Column("completed_at", String(32), nullable=False),
    Column("completed_utc", String(32), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("original_kind", String(10), nullable=False),  # sale | web_order
    Column("original_reference", String(40), nullable=False),
    Column("original_id", String(36), nullable=False),
    Column("original_store_code", String(10), nullable=False),
    Column("checked", Integer, nullable=False),  # returnable figures from the backend
    Column("total_cents", Integer, nullable=False),
    Column("tax_cents", Integer, nullable=False),
    Column("gift_receipt", Integer, nullable=False, server_default="0"),
    Column("approved_by", Text, nullable=False, server_default=""),  # the manager, when one
    Column("customer_id", String(36)),  # the original's customer, when known
    Column("till_id", String(36)),  # the till session it fell in (issue 8)
)
Index("ix_returns_original_reference", returns.c.original_reference)
Index("ix_returns_customer_id", returns.c.customer_id)

return_lines = Table(
    "return_lines",
    metadata,
    Column("return_id", String(36), ForeignKey("returns.id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("original_line_no", Integer),
    Column("product_id", String(36), nullable=False),
    Column("sku", String(40), nullable=False),
    Column("name", Text, nullable=False),
    Column("measure", String(10), nullable=False),
    Column("quantity_milli", Integer, nullable=False),
    Column("unit_refund_cents", Integer, nullable=False),
    Column("refund_cents", Integer, nullable=False),
    Column("tax_class", String(20), nullable=False),
    Column("tax_rate", String(10), nullable=False),
    Column("base_cents", Integer, nullable=False),
    Column("tax_cents", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("disposition", String(10), nullable=False),  # sellable | damaged | supplier
)

return_refunds = Table(
    "return_refunds",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("return_id", String(36), ForeignKey("returns.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", String(10), nullable=False),  # cash | card
    Column("amount_cents", Integer, nullable=False),
    Column("reference", Text, nullable=False),
)
Index("ix_return_refunds_return_id", return_refunds.c.return_id)

return_prints = Table(
    "return_prints",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("return_id", String(36), ForeignKey("returns.id"), nullable=False),
    Column("printed_at", String(32), nullable=False),
    Column("copy", Integer, nullable=False),
    Column("ok", Integer, nullable=False),
    Column("error", Text, nullable=False),
    Column("maybe_printed", Integer, nullable=False, server_default="0"),
)
Index("ix_return_prints_return_id", return_prints.c.return_id)

# Store credit (issue 7): the vouchers this register knows, with the balance it last knew and
# when. ``source`` says how: ``issued`` here by a return, or ``lookup`` (the backend's figure).
# The balance goes down in the same transaction as each sale that spends from it.
vouchers = Table(
    "vouchers",
    metadata,
    Column("code", String(20), primary_key=True),
    Column("issued_cents", Integer, nullable=False),
    Column("balance_cents", Integer, nullable=False),
    Column("known_at", String(32), nullable=False),  # ISO 8601 UTC
    Column("source", String(10), nullable=False),  # issued | lookup
)

# Customers (issue 7): the ones this register needs (its store's, pulled as ``customer``
# changes; those looked up online here; those created here), as the backend last sent them with
# this register's unpushed edits on top. Search columns are folded (``search_text``: name,
# email, card, NIF), digits only (``phone_digits``) or normalized for exact matches.
# ``last_used_at``: when this register last created, edited, looked up or sold to them.
customers = Table(
    "customers",
    metadata,
    Column("customer_id", String(36), primary_key=True),
    Column("name", Text, nullable=False),
    Column("phone", String(40), nullable=False),
    Column("email", String(200), nullable=False),
    Column("loyalty_card", String(40), nullable=False),
    Column("tax_id", String(20), nullable=False),
    Column("privacy_consent", Integer, nullable=False),
    Column("marketing_consent", Integer, nullable=False),
    Column("consent_at", String(32)),
    Column("consent_where", String(40), nullable=False),
    Column("created_at", String(32), nullable=False),
    Column("created_where", String(40), nullable=False),
    Column("possible_duplicate", Integer, nullable=False),
    Column("updated_at", String(32), nullable=False),
    Column("last_used_at", String(32)),
    Column("search_text", Text, nullable=False),
    Column("phone_digits", String(40), nullable=False),
    Column("email_norm", String(200), nullable=False),
    Column("card_norm", String(40), nullable=False),
)
Index("ix_customers_phone_digits", customers.c.phone_digits)
Index("ix_customers_email_norm", customers.c.email_norm)
Index("ix_customers_card_norm", customers.c.card_norm)

# The fiscal journal (issue 8, VERI*FACTU): every billing record (F1, F2, F3, R5) and Z close of
# this register, as its ``fiscal.recorded`` payload says (amounts as the record's text, lists as
# JSON). ``chain_seq`` gap-free from 1. Never edited or deleted: triggers refuse both.
fiscal_records = Table(
    "fiscal_records",
    metadata,
    Column("record_id", String(36), primary_key=True),
    Column("store_code", String(10), nullable=False),
    Column("register_code", String(10), nullable=False),
    Column("chain_seq", Integer, nullable=False),
    Column("record_type", String(10), nullable=False),  # alta | anulacion | cierre
    Column("invoice_type", String(2)),  # F1 F2 F3 R5; None for a Z close
    Column("issuer_tax_id", String(20), nullable=False),
    Column("series_number", String(60), nullable=False),
    Column("issue_date", String(10), nullable=False),  # dd-mm-yyyy
    Column("tax_total", String(20), nullable=False),  # "123.45"
    Column("amount_total", String(20), nullable=False),
    Column("previous_fingerprint", String(64), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("generated_at", String(25), nullable=False),
    Column("journal_previous", String(64), nullable=False),
    Column("journal_hash", String(64), nullable=False),
    Column("source_kind", String(12), nullable=False),  # sale | return | invoice | till_close
    Column("source_id", String(36), nullable=False),
    Column("rectified", Text, nullable=False),  # JSON list
    Column("replaced", Text, nullable=False),  # JSON list
    Column("recipient_tax_id", String(20), nullable=False),
    Column("recipient_name", Text, nullable=False),
    # A full invoice's recipient address (JSON list): printed on it, not part of the record.
    Column("recipient_address", Text, nullable=False, server_default="[]"),
)
Index("ix_fiscal_records_chain_seq", fiscal_records.c.chain_seq, unique=True)
Index("ix_fiscal_records_source", fiscal_records.c.source_kind, fiscal_records.c.source_id)

# The till (issue 8): sessions from opening (a counted float) to their Z close (the blind count,
# what was expected, the difference and the Z's figures as JSON, its ``till.closed`` payload),
# at most one open at a time; cash put in or taken out. Sales, returns, abandoned sales and
# drawer openings carry the ``till_id`` of the session they fell in.
till_sessions = Table(
    "till_sessions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("status", String(8), nullable=False),  # open | closed
    Column("opened_at", String(32), nullable=False),
    Column("opened_utc", String(32), nullable=False),
    Column("cashier", Text, nullable=False),
    Column("float_cents", Integer, nullable=False),
    Column("float_count", Text, nullable=False),  # JSON {"5000": 2, ...}
    Column("closed_at", String(32)),
    Column("closed_by", Text),
    Column("z_number", String(40), unique=True),
    Column("z_year", Integer),
    Column("z_seq", Integer),
    Column("counted_cents", Integer),
    Column("counted", Text),  # JSON, the blind count
    Column("expected_cents", Integer),
    Column("difference_cents", Integer),  # counted - expected
    Column("report", Text),  # JSON: the till.closed payload
)
Index(
    "ux_till_sessions_one_open",
    till_sessions.c.status,
    unique=True,
    sqlite_where=till_sessions.c.status == "open",
)

till_movements = Table(
    "till_movements",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("till_id", String(36), ForeignKey("till_sessions.id"), nullable=False),
    Column("at", String(32), nullable=False),
    Column("kind", String(4), nullable=False),  # in | out
    Column("amount_cents", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("cashier", Text, nullable=False),
    Column("approved_by", Text, nullable=False, server_default=""),
)
Index("ix_till_movements_till_id", till_movements.c.till_id)

# Sale cancellations (issue 8): a completed sale annulled by a manager (a ticket issued by
# mistake), with the journal's "anulacion" record; at most one per sale. The sale row itself is
# never edited: being here is what "cancelled" means. What went back in each tender alongside.
sale_cancellations = Table(
    "sale_cancellations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("sale_id", String(36), ForeignKey("sales.id"), nullable=False, unique=True),
    Column("receipt_number", String(40), nullable=False),
    Column("cancelled_at", String(32), nullable=False),
    Column("cancelled_utc", String(32), nullable=False),
    Column("cashier", Text, nullable=False),
    Column("approved_by", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("total_cents", Integer, nullable=False),
    Column("tax_cents", Integer, nullable=False),
    Column("till_id", String(36)),
    Column("journal_record_id", String(36), nullable=False),
)
Index("ix_sale_cancellations_till_id", sale_cancellations.c.till_id)

sale_cancellation_refunds = Table(
    "sale_cancellation_refunds",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("cancellation_id", String(36), ForeignKey("sale_cancellations.id"), nullable=False),
    Column("position", Integer, nullable=False),
    Column("kind", String(10), nullable=False),  # the original payment's kind: cash | card
    Column("amount_cents", Integer, nullable=False),
    Column("reference", Text, nullable=False),
)
Index("ix_sale_cancellation_refunds_cancellation_id", sale_cancellation_refunds.c.cancellation_id)

# Where the journal of a register taken over from another machine starts (issue 9): the
# backend's last record of the register when this machine took it over. One row at most.
journal_anchor = Table(
    "journal_anchor",
    metadata,
    Column("id", Integer, primary_key=True),  # always 1
    Column("chain_seq", Integer, nullable=False),
    Column("journal_hash", String(64), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("replaced_device_id", String(36), nullable=False),
    Column("taken_over_at", String(32), nullable=False),
    CheckConstraint("id = 1", name="ck_journal_anchor_single"),
)

# The X report and the Z close read a till session's rows by ``till_id`` (migration 0016).
Index("ix_sales_till_id", sales.c.till_id)
Index("ix_returns_till_id", returns.c.till_id)
Index("ix_abandoned_sales_till_id", abandoned_sales.c.till_id)
Index("ix_drawer_openings_till_id", drawer_openings.c.till_id)
