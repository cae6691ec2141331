"""The registers' tills at the backend (issue 8): sessions, cash movements, drawer openings and
Z closes, and the check of every Z against what the backend holds.

A Z close (``till.closed``) carries the register's figures. The backend sums what it holds for
the same ``till_id``: the sales (count, ``total_cents``, ``discount_cents``), the returns (count,
``total_cents``: the amount refunded, positive), the cash put in and taken out
(``till.cash_moved``), per tender kind the payments minus the refunds of that kind, and per
tax rate the sales' taxes minus the returned lines' (base, tax, total); the expected cash is
the Z's float plus cash in, minus cash out, plus the net cash tender; the voided sales
(``sale.abandoned``: count and total) and the drawer openings without a sale that opened
(``drawer.opened``) of the till are counted too. A cancelled sale (``sale.cancelled``, see
``cancellations.py``) stays among the till's sales and is taken off again as the register does:
the cancelled count and total, its refunds off the tenders (a cash refund off the expected
cash) and the cancelled sale's taxes off the taxes. Each figure that differs
is named in the conflict ``till_mismatch`` (register vs backend), and the Z is kept all the same
(a fact; a manager looks). A register's events arrive in order, so its sales and returns of a
till are all held (earlier, or before the Z in the same push group) when its Z arrives.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation

from sqlalchemy import Connection, select

from sync.protocol import (
    DrawerOpenedPayload,
    ReturnCompletedPayload,
    SaleAbandonedPayload,
    SaleCancelledPayload,
    SaleCompletedPayload,
    TillCashMovedPayload,
    TillClosedPayload,
)
from sync.server.services._sql import one_of
from sync.server.tables import (
    abandoned_sales,
    drawer_openings,
    returns,
    sale_cancellations,
    sales,
    till_cash_movements,
    till_closes,
)

TILL_MISMATCH = "till_mismatch"


@dataclass(slots=True)
class TillFigures:
    """What the backend holds of one till session."""

    sales_count: int = 0
    sales_total_cents: int = 0
    discounts_cents: int = 0
    returns_count: int = 0
    returns_total_cents: int = 0
    cash_in_cents: int = 0
    cash_out_cents: int = 0
    abandoned_count: int = 0
    abandoned_total_cents: int = 0
    drawer_openings: int = 0  # without a sale, that opened
    cancelled_count: int = 0
    cancelled_total_cents: int = 0
    tenders: dict[str, int] = field(default_factory=dict)  # kind -> net cents
    taxes: dict[str, list[int]] = field(default_factory=dict)  # rate -> [base, tax, total] net

    def _tax(self, rate: str, sign: int, base: int, tax: int, total: int) -> None:
        row = self.taxes.setdefault(normalize_rate(rate), [0, 0, 0])
        row[0] += sign * base
        row[1] += sign * tax
        row[2] += sign * total

    def add_sale(self, sale: SaleCompletedPayload) -> None:
        self.sales_count += 1
        self.sales_total_cents += sale.total_cents
        self.discounts_cents += sale.discount_cents
        for payment in sale.payments:
            self.tenders[payment.kind] = self.tenders.get(payment.kind, 0) + payment.amount_cents
        for tax in sale.taxes:
            self._tax(tax.rate, 1, tax.base_cents, tax.tax_cents, tax.total_cents)

    def add_return(self, ret: ReturnCompletedPayload) -> None:
        self.returns_count += 1
        self.returns_total_cents += ret.total_cents
        for refund in ret.refunds:
            self.tenders[refund.kind] = self.tenders.get(refund.kind, 0) - refund.amount_cents
        for line in ret.lines:
            self._tax(line.tax_rate, -1, line.base_cents, line.tax_cents, line.refund_cents)

    def add_cancellation(
        self, cancelled: SaleCancelledPayload, sale: SaleCompletedPayload | None
    ) -> None:
        """A sale annulled: its refunds off the tenders, its taxes (when the sale is held)
        off the taxes."""
        self.cancelled_count += 1
        self.cancelled_total_cents += cancelled.total_cents
        for refund in cancelled.refunds:
            self.tenders[refund.kind] = self.tenders.get(refund.kind, 0) - refund.amount_cents
        if sale is not None:
            for tax in sale.taxes:
                self._tax(tax.rate, -1, tax.base_cents, tax.tax_cents, tax.total_cents)

    def add_abandoned(self, total_cents: int) -> None:
        self.abandoned_count += 1
        self.abandoned_total_cents += total_cents

    def add_movement(self, kind: str, cents: int) -> None:
        if kind == "in":
            self.cash_in_cents += cents
        else:
            self.cash_out_cents += cents


def normalize_rate(rate: str) -> str:
    """``"21.00"`` and ``"21"`` are the same rate: ``"21"`` (as the register writes its Z)."""
    try:
        return format(Decimal(rate).normalize(), "f")
    except InvalidOperation:
        return rate


def mismatches(z: TillClosedPayload, held: TillFigures) -> list[str]:
    """Each figure of ``z`` that differs from ``held``: ``"figure: register X, backend Y"``."""
    found: list[str] = []

    def compare(name: str, register: int, backend: int) -> None:
        if register != backend:
            found.append(f"{name}: register {register}, backend {backend}")

    compare("sales_count", z.sales_count, held.sales_count)
    compare("sales_total_cents", z.sales_total_cents, held.sales_total_cents)
    compare("discounts_cents", z.discounts_cents, held.discounts_cents)
    compare("returns_count", z.returns_count, held.returns_count)
    compare("returns_total_cents", z.returns_total_cents, held.returns_total_cents)
    compare("cash_in_cents", z.cash_in_cents, held.cash_in_cents)
    compare("cash_out_cents", z.cash_out_cents, held.cash_out_cents)
    compare("abandoned_count", z.abandoned_count, held.abandoned_count)
    compare("abandoned_total_cents", z.abandoned_total_cents, held.abandoned_total_cents)
    compare("drawer_openings", z.drawer_openings, held.drawer_openings)
    compare("cancelled_count", z.cancelled_count, held.cancelled_count)
    compare("cancelled_total_cents", z.cancelled_total_cents, held.cancelled_total_cents)
    theirs: dict[str, int] = {}
    for tender in z.tenders:
        theirs[tender.kind] = theirs.get(tender.kind, 0) + tender.amount_cents
    for kind in sorted(set(theirs) | set(held.tenders)):
        compare(f"tender {kind}", theirs.get(kind, 0), held.tenders.get(kind, 0))
    theirs_tax: dict[str, list[int]] = {}
    for total in z.taxes:
        row = theirs_tax.setdefault(normalize_rate(total.rate), [0, 0, 0])
        row[0] += total.base_cents
        row[1] += total.tax_cents
        row[2] += total.total_cents
    for rate in sorted(set(theirs_tax) | set(held.taxes)):
        register_row = theirs_tax.get(rate, [0, 0, 0])
        backend_row = held.taxes.get(rate, [0, 0, 0])
        for i, what in enumerate(("base", "tax", "total")):
            compare(f"tax {rate}% {what}", register_row[i], backend_row[i])
    expected = (
        z.float_cents + held.cash_in_cents - held.cash_out_cents + held.tenders.get("cash", 0)
    )
    compare("expected_cash_cents", z.expected_cash_cents, expected)
    return found


class TillGroup:
    """The tills whose Z closes one push group holds: their figures read once, then kept up
    to date with the group's sales, returns, cancellations and cash movements before each Z is
    decided."""

    def __init__(self) -> None:
        self._wanted: set[str] = set()
        self.figures: dict[str, TillFigures] = {}
        self.closed: set[str] = set()  # tills whose Z is held (before or in this group)
        self._movements: set[str] = set()  # movement ids counted (sent again: counted once)
        self._counted: set[str] = set()  # voided sales and drawer openings counted (ids)

    def want(self, close: TillClosedPayload | None) -> None:
        if close is not None:
            self._wanted.add(close.till_id)

    def load(self, conn: Connection) -> None:
        if not self._wanted:
            return
        tills = sorted(self._wanted)
        self.figures = {till_id: TillFigures() for till_id in tills}
        self.closed.update(
            conn.execute(
                select(till_closes.c.till_id).where(one_of(conn, till_closes.c.till_id, tills))
            ).scalars()
        )
        for till_id, text in conn.execute(
            select(sales.c.till_id, sales.c.payload).where(one_of(conn, sales.c.till_id, tills))
        ):
            self.figures[till_id].add_sale(SaleCompletedPayload.model_validate_json(text))
        for till_id, text in conn.execute(
            select(returns.c.till_id, returns.c.payload).where(
                one_of(conn, returns.c.till_id, tills)
            )
        ):
            self.figures[till_id].add_return(ReturnCompletedPayload.model_validate_json(text))
        for movement_id, till_id, kind, cents in conn.execute(
            select(
                till_cash_movements.c.id,
                till_cash_movements.c.till_id,
                till_cash_movements.c.kind,
                till_cash_movements.c.amount_cents,
            ).where(one_of(conn, till_cash_movements.c.till_id, tills))
        ):
            self._movements.add(movement_id)
            self.figures[till_id].add_movement(kind, int(cents))
        for abandoned_id, till_id, cents in conn.execute(
            select(
                abandoned_sales.c.id, abandoned_sales.c.till_id, abandoned_sales.c.total_cents
            ).where(one_of(conn, abandoned_sales.c.till_id, tills))
        ):
            self._counted.add(abandoned_id)
            self.figures[till_id].add_abandoned(int(cents))
        for opening_id, till_id in conn.execute(
            select(drawer_openings.c.id, drawer_openings.c.till_id).where(
                one_of(conn, drawer_openings.c.till_id, tills), drawer_openings.c.opened
            )
        ):
            self._counted.add(opening_id)
            self.figures[till_id].drawer_openings += 1
        x = sale_cancellations.c
        for cancellation_id, till_id, text, sale_text in conn.execute(
            select(x.id, x.till_id, x.payload, sales.c.payload)
            .select_from(sale_cancellations.outerjoin(sales, sales.c.id == x.sale_id))
            .where(one_of(conn, x.till_id, tills))
        ):
            self._counted.add(cancellation_id)
            self.figures[till_id].add_cancellation(
                SaleCancelledPayload.model_validate_json(text),
                SaleCompletedPayload.model_validate_json(sale_text) if sale_text else None,
            )

    # --- what the group takes, before its Z closes -------------------------------------------
    def sale_taken(self, sale: SaleCompletedPayload) -> None:
        figures = self.figures.get(sale.till_id or "")
        if figures is not None:
            figures.add_sale(sale)

    def return_taken(self, ret: ReturnCompletedPayload) -> None:
        figures = self.figures.get(ret.till_id or "")
        if figures is not None:
            figures.add_return(ret)

    def movement_taken(self, movement: TillCashMovedPayload) -> None:
        figures = self.figures.get(movement.till_id)
        if figures is not None and movement.movement_id not in self._movements:
            self._movements.add(movement.movement_id)
            figures.add_movement(movement.kind, movement.amount_cents)

    def abandoned_taken(self, abandoned: SaleAbandonedPayload) -> None:
        figures = self.figures.get(abandoned.till_id or "")
        if figures is not None and abandoned.abandoned_id not in self._counted:
            self._counted.add(abandoned.abandoned_id)
            figures.add_abandoned(abandoned.total_cents)

    def cancellation_taken(
        self, cancelled: SaleCancelledPayload, sale: SaleCompletedPayload | None
    ) -> None:
        figures = self.figures.get(cancelled.till_id or "")
        if figures is not None and cancelled.cancellation_id not in self._counted:
            self._counted.add(cancelled.cancellation_id)
            figures.add_cancellation(cancelled, sale)

    def drawer_taken(self, drawer: DrawerOpenedPayload) -> None:
        figures = self.figures.get(drawer.till_id or "")
        if figures is not None and drawer.opened and drawer.opening_id not in self._counted:
            self._counted.add(drawer.opening_id)
            figures.drawer_openings += 1

    def close(self, z: TillClosedPayload) -> list[str]:
        """The mismatches of ``z`` (the caller has checked it is the till's first Z)."""
        self.closed.add(z.till_id)
        return mismatches(z, self.figures.setdefault(z.till_id, TillFigures()))


# --- reading (the CLI) ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TillClose:
    z: TillClosedPayload
    mismatch: str | None
    received_at: datetime


def list_closes(conn: Connection, store_code: str, *, since: date | None = None) -> list[TillClose]:
    """The Z closes of a store, oldest first (since a day, by the close's time in UTC)."""
    query = (
        select(till_closes.c.payload, till_closes.c.mismatch, till_closes.c.received_at)
        .where(till_closes.c.store_code == store_code.strip().upper())
        .order_by(till_closes.c.closed_at, till_closes.c.z_number)
    )
    if since is not None:
        query = query.where(
            till_closes.c.closed_at >= datetime.combine(since, time.min, tzinfo=UTC)
        )
    return [
        TillClose(TillClosedPayload.model_validate(json.loads(text)), mismatch, received_at)
        for text, mismatch, received_at in conn.execute(query)
    ]
