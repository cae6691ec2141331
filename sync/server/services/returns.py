"""Returns across channels (DESIGN section 4, "refunds across channels"; issue 7).

A register asks what is still returnable of an original (``returnable``: a sale of any store, by
its receipt number, or a collected web order, by its number) and pushes each return it makes as
``return.completed``. The push writer (``services/push.py``) stores the return whatever the
check says (the money has left) and answers a conflict when a person must look:

- ``unknown_original``: the backend has no such sale or order (a receipt of a register that
  has not synced yet, a mistyped number, a web order never collected);
- ``over_refund``: a line returns more than was sold (collected) minus what every earlier
  return of the backend took, from any store, or a line the original does not have.

What one unit is refunded (``unit_refund_cents``): the line's ``total_cents`` (after its share of
every discount) divided by its quantity, rounded DOWN to the cent (per unit, or per kilogram
for weighed goods), in integers, never a float. Refunding every unit at that price never gives
back more than was paid; the remainder (less than one cent per unit) stays with the shop.

The checks are pure functions of the original as it stands and the quantities already returned
(``check_return``), so the push writer decides a whole group's returns in memory, each seeing the
ones before it in the group.

The return policy (``ReturnPolicy``, ``policies.py``) is checked again for every return
(``check_policy``): the days since the sale (a web order: since it was collected) for each
line's category, the categories never taken back, and that a return without a receipt
(``original_kind`` ``none``) or with a gift receipt refunds only as store credit or exchange,
and only when a receipt is not required. A return that breaks it is kept (the money has left)
as a conflict ``policy_violation`` whose message says what broke.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, func, select

from pos_app.domain.returns import return_period_over
from sync.protocol import (
    EXCHANGE_KIND,
    VOUCHER_KIND,
    PickupOrderData,
    ReturnableLine,
    ReturnableTender,
    ReturnableView,
    ReturnCompletedPayload,
    ReturnPolicy,
    SaleCompletedPayload,
)
from sync.server.errors import ApiError, NotFound
from sync.server.services.cancellations import cancelled_sales
from sync.server.services.customers import customer_of_original
from sync.server.services.orders import HANDED_OVER
from sync.server.services.stock import milli_to_text, to_milli
from sync.server.services.stores import require_store
from sync.server.tables import (
    pickup_orders,
    products,
    return_lines,
    returns,
    sales,
    stores,
    tax_rates,
)

Kind = Literal["sale", "web_order"]
POLICY_VIOLATION = "policy_violation"
# (kind, reference) -> original line -> thousandths returned so far
Returned = dict[tuple[str, str], dict[int, int]]


@dataclass(frozen=True, slots=True)
class OriginalLine:
    line_no: int
    product_id: str
    sku: str
    name: str
    measure: str
    sold_milli: int  # sold, or collected for an order
    unit_refund_cents: int
    tax_class: str
    tax_rate: str


@dataclass(frozen=True, slots=True)
class Original:
    """What was sold: a sale, or what was collected of a web order."""

    kind: Kind
    reference: str
    original_id: str
    store_code: str
    sold_at: datetime
    currency: str
    lines: tuple[OriginalLine, ...]
    tenders: tuple[ReturnableTender, ...]


def unit_refund(total_cents: int, quantity_milli: int) -> int:
    """``total_cents`` per unit (per kilogram), rounded down to the cent; 0 for no quantity."""
    if quantity_milli <= 0:
        return 0
    return max(0, total_cents * 1000 // quantity_milli)


def original_of_sale(sale: SaleCompletedPayload, store_code: str) -> Original:
    lines = tuple(
        OriginalLine(
            line_no=line.line_no,
            product_id=line.product_id,
            sku=line.sku,
            name=line.name,
            measure=line.measure or "unit",
            sold_milli=to_milli(line.quantity),
            unit_refund_cents=unit_refund(line.total_cents, to_milli(line.quantity)),
            tax_class=line.tax_class,
            tax_rate=line.tax_rate,
        )
        for line in sale.lines
    )
    tenders = tuple(
        ReturnableTender(kind=p.kind, amount_cents=p.amount_cents, reference=p.reference)
        for p in sale.payments
    )
    return Original(
        "sale", sale.receipt_number, sale.sale_id, store_code, sale.completed_at, sale.currency,
        lines, tenders,
    )  # fmt: skip


def original_of_order(
    order: PickupOrderData, catalog: Mapping[str, tuple[str, str, str]] | None = None
) -> Original | None:
    """What was collected of ``order`` (None while nothing was handed over). ``catalog``:
    product id -> (measure, tax class, rate), when the caller has it (the order does not)."""
    if order.status not in HANDED_OVER:
        return None
    catalog = catalog or {}
    lines = []
    for line in order.lines:
        measure, tax_class, rate = catalog.get(line.product_id, ("unit", "", ""))
        lines.append(
            OriginalLine(
                line_no=line.line_no,
                product_id=line.product_id,
                sku=line.sku,
                name=line.name,
                measure=measure,
                sold_milli=to_milli(line.collected or "0"),
                # The price of one ordered unit: the customer paid the line's total for them.
                unit_refund_cents=unit_refund(line.total_cents, to_milli(line.quantity)),
                tax_class=tax_class,
                tax_rate=rate,
            )
        )
    sold_at = next(
        (h.at for h in reversed(order.history) if h.status in HANDED_OVER), order.updated_at
    )
    tenders = (
        (ReturnableTender(kind="online", amount_cents=order.total_cents, reference=order.number),)
        if order.paid_online
        else ()
    )
    return Original(
        "web_order", order.number, order.order_id, order.store_code, sold_at, order.currency,
        tuple(lines), tenders,
    )  # fmt: skip


# --- reading --------------------------------------------------------------------------------


def returned_quantities(conn: Connection, keys: Iterable[tuple[str, str]]) -> Returned:
    """Thousandths returned so far per original line, by every return the backend holds."""
    wanted = sorted(set(keys))
    found: Returned = {key: {} for key in wanted}
    if not wanted:
        return found
    references = sorted({reference for _, reference in wanted})
    rows = conn.execute(
        select(
            returns.c.original_kind,
            returns.c.original_reference,
            return_lines.c.original_line_no,
            func.sum(return_lines.c.quantity_milli),
        )
        .select_from(returns.join(return_lines, return_lines.c.return_id == returns.c.id))
        .where(returns.c.original_reference.in_(references))
        .where(return_lines.c.original_line_no.is_not(None))
        .group_by(
            returns.c.original_kind, returns.c.original_reference, return_lines.c.original_line_no
        )
    )
    for kind, reference, line_no, milli in rows:
        if (kind, reference) in found:
            found[(kind, reference)][int(line_no)] = int(milli)
    return found


def _catalog(
    conn: Connection, product_ids: Sequence[str], on: date
) -> dict[str, tuple[str, str, str]]:
    rows = conn.execute(
        select(products.c.id, products.c.measure, products.c.tax_class).where(
            products.c.id.in_(sorted(set(product_ids)))
        )
    ).all()
    classes = sorted({r.tax_class for r in rows})
    rates: dict[str, str] = {}
    for tax_class, rate in conn.execute(
        select(tax_rates.c.tax_class, tax_rates.c.rate)
        .where(tax_rates.c.tax_class.in_(classes), tax_rates.c.valid_from <= on)
        .order_by(tax_rates.c.valid_from)  # the latest one in force wins
    ):
        rates[tax_class] = rate
    return {r.id: (r.measure, r.tax_class, rates.get(r.tax_class, "")) for r in rows}


def find_original(conn: Connection, reference: str) -> Original:
    """The sale (by receipt number) or the web order (by number) ``reference`` names.
    ``NotFound`` when neither exists; 409 ``not_returnable`` for an order not collected."""
    reference = reference.strip()
    row = conn.execute(
        select(sales.c.store_code, sales.c.payload).where(sales.c.receipt_number == reference)
    ).first()
    if row is not None:
        sale = SaleCompletedPayload.model_validate_json(row.payload)
        return original_of_sale(sale, row.store_code)
    text = conn.execute(
        select(pickup_orders.c.document).where(pickup_orders.c.number == reference.upper())
    ).scalar()
    if text is None:
        raise NotFound(f"no sale with receipt {reference!r} and no web order {reference!r}")
    order = PickupOrderData.model_validate_json(text)
    catalog = _catalog(conn, [line.product_id for line in order.lines], order.created_at.date())
    original = original_of_order(order, catalog)
    if original is None:
        raise ApiError(
            f"order {order.number} is {order.status.value}: nothing of it was collected, so "
            "nothing is returnable (a cancellation is the channel's business)",
            code="not_returnable",
            status=409,
        )
    return original


def product_categories(conn: Connection, product_ids: Iterable[str]) -> dict[str, str]:
    """Product id -> its category code ("" for none), for the products the backend knows."""
    wanted = sorted(set(product_ids))
    if not wanted:
        return {}
    rows = conn.execute(select(products.c.id, products.c.category).where(products.c.id.in_(wanted)))
    return {product_id: category or "" for product_id, category in rows}


def returnable(conn: Connection, reference: str) -> ReturnableView:
    """What is still returnable of ``reference``, for a register of any store; each line names
    its product's category (the return policy's days depend on it)."""
    original = find_original(conn, reference)
    categories = product_categories(conn, [line.product_id for line in original.lines])
    returned = returned_quantities(conn, [(original.kind, original.reference)])[
        (original.kind, original.reference)
    ]
    if original.kind == "sale" and cancelled_sales(conn, [original.original_id]):
        # Annulled at its register: all of it went back already, nothing is left to return.
        returned = {line.line_no: line.sold_milli for line in original.lines}
    return ReturnableView(
        kind=original.kind,
        reference=original.reference,
        original_id=original.original_id,
        store_code=original.store_code,
        sold_at=original.sold_at,
        currency=original.currency,
        lines=[
            ReturnableLine(
                original_line_no=line.line_no,
                product_id=line.product_id,
                sku=line.sku,
                name=line.name,
                measure=line.measure,
                quantity_sold=milli_to_text(line.sold_milli),
                quantity_returned=milli_to_text(returned.get(line.line_no, 0)),
                unit_refund_cents=line.unit_refund_cents,
                tax_class=line.tax_class,
                tax_rate=line.tax_rate,
                category=categories.get(line.product_id, ""),
            )
            for line in original.lines
        ],
        tenders=list(original.tenders),
        customer_id=customer_of_original(conn, original.kind, original.original_id),
    )


# --- the check of a pushed return -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReturnCheck:
    """The original line each return line takes from (None: none), and why a person must look
    (``code`` None: nothing to look at)."""

    matched: tuple[int | None, ...]
    code: str | None = None
    message: str | None = None


def check_return(
    payload: ReturnCompletedPayload, original: Original | None, returned: Mapping[int, int]
) -> ReturnCheck:
    """Whether ``payload`` stays within what is left of ``original`` after ``returned``.

    A line gives its ``original_line_no``, or is matched to the first line of the same product
    with something left (else the first line of that product)."""
    where = payload.original_reference
    if original is None:
        what = "sale with receipt" if payload.original_kind == "sale" else "web order"
        return ReturnCheck(
            tuple(None for _ in payload.lines),
            "unknown_original",
            f"return {payload.return_number} refunds {payload.total_cents} cents of {what} "
            f"{where}, which this backend does not know: the return was recorded and the stock "
            "moved; a manager finds the original (a register not synced yet, a mistyped "
            "number) and checks the refund",
        )
    by_no = {line.line_no: line for line in original.lines}
    left = {
        line.line_no: line.sold_milli - returned.get(line.line_no, 0) for line in original.lines
    }
    matched: list[int | None] = []
    problems: list[str] = []
    for line in payload.lines:
        milli = to_milli(line.quantity)
        target: int | None
        if line.original_line_no is not None:
            target = line.original_line_no if line.original_line_no in by_no else None
        else:
            same = [o.line_no for o in original.lines if o.product_id == line.product_id]
            target = next((n for n in same if left[n] >= milli), same[0] if same else None)
        matched.append(target)
        if target is None:
            problems.append(f"line {line.line_no} ({line.sku}) is not on {where}")
            continue
        if milli > left[target]:
            sold = by_no[target].sold_milli
            problems.append(
                f"line {line.line_no} ({line.sku}) returns {line.quantity}, but only "
                f"{milli_to_text(max(left[target], 0))} of {milli_to_text(sold)} "
                f"{'collected' if original.kind == 'web_order' else 'sold'} was left"
            )
        left[target] -= milli
    if not problems:
        return ReturnCheck(tuple(matched))
    return ReturnCheck(
        tuple(matched),
        "over_refund",
        f"return {payload.return_number} refunds more of {where} than is left: "
        + "; ".join(problems[:3])
        + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else "")
        + ". The return was recorded and the stock moved; a manager checks the earlier returns "
        "of it (mostrador-server returns) and whether the customer was refunded twice, then "
        "recovers or writes off the difference",
    )


def check_policy(
    payload: ReturnCompletedPayload,
    original: Original | None,
    policy: ReturnPolicy,
    categories: Mapping[str, str],
) -> str | None:
    """What of ``policy`` ``payload`` breaks (a message for the manager), None when nothing.

    ``original``: what the return names, when the backend has it (no days to count without
    it); ``categories``: product id -> category code."""
    problems: list[str] = []
    credit_only = (VOUCHER_KIND, EXCHANGE_KIND)
    if payload.original_kind == "none":
        if policy.receipt_required:
            problems.append("it has no receipt, and the policy requires one")
        if any(refund.kind not in credit_only for refund in payload.refunds):
            problems.append("it has no receipt, yet refunds other than as store credit")
    elif payload.gift_receipt and any(r.kind not in credit_only for r in payload.refunds):
        problems.append("it was made with a gift receipt, yet refunds other than store credit")
    for line in payload.lines:
        category = categories.get(line.product_id, "")
        if not policy.returnable_category(category):
            problems.append(
                f"line {line.line_no} ({line.sku}) is of category {category}, never taken back"
            )
            continue
        days = policy.days_for(category)
        if original is not None and return_period_over(
            original.sold_at, payload.completed_at, days
        ):
            what = "collected" if original.kind == "web_order" else "sold"
            problems.append(
                f"line {line.line_no} ({line.sku}) was {what} on "
                f"{original.sold_at.date().isoformat()}, more than {days} days before"
            )
    if not problems:
        return None
    return (
        f"return {payload.return_number} breaks the return policy: "
        + "; ".join(problems[:3])
        + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else "")
        + ". The return was recorded and the stock moved; a manager checks why it was made "
        "and with whom (mostrador-server returns)"
    )


# --- listing, for IT --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReturnEntry:
    completed_at: datetime
    register_code: str
    return_number: str
    original_kind: str
    original_reference: str
    total_cents: int
    cashier: str
    conflict: str | None


def list_returns(
    conn: Connection, store_code: str, *, since: date | None = None
) -> list[ReturnEntry]:
    """The returns made at a store, oldest first; ``since``: from that day on, in the store's
    time zone (times are shown in it too)."""
    store_code = require_store(conn, store_code)
    zone = ZoneInfo(
        conn.execute(select(stores.c.timezone).where(stores.c.code == store_code)).scalar_one()
    )
    query = select(
        returns.c.completed_at, returns.c.register_code, returns.c.return_number,
        returns.c.original_kind, returns.c.original_reference, returns.c.total_cents,
        returns.c.cashier, returns.c.conflict,
    ).where(returns.c.store_code == store_code)  # fmt: skip
    if since is not None:
        query = query.where(returns.c.completed_at >= datetime.combine(since, time(), tzinfo=zone))
    rows = conn.execute(query.order_by(returns.c.completed_at, returns.c.return_number))
    return [
        ReturnEntry(
            r.completed_at.astimezone(zone),
            r.register_code,
            r.return_number,
            r.original_kind,
            r.original_reference,
            int(r.total_cents),
            r.cashier,
            r.conflict,
        )  # fmt: skip
        for r in rows
    ]
