"""The till: the euro's notes and coins, the count of a drawer, and the figures of a till
session (X and Z reports) as a pure function of what the session recorded.

Money is integer cents. A count is the number of pieces of each denomination; its wire form is
``{"5000": 2, "200": 10}`` (cents as text, pieces; zeros left out).

Expected cash = float + cash taken by sales (what the sale kept, change given back already
taken off) + cash put in - cash taken out - cash refunded by returns - cash given back by
cancellations. Tenders are net: what sales took by that kind less what returns and
cancellations gave back by it. Taxes per rate are net of returns and of cancelled sales.

A cancelled sale (a ticket annulled by a manager) stays among the session's sales (its ticket
was issued: the count, total and first/last numbers keep it) and is taken off again as a
cancellation, as a return would be: the net total, tenders and taxes leave it out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from pos_app.domain.errors import PosError

# The euro's notes (500 € .. 5 €) and coins (2 € .. 1 cent), in cents, largest first.
NOTES: tuple[int, ...] = (50000, 20000, 10000, 5000, 2000, 1000, 500)
COINS: tuple[int, ...] = (200, 100, 50, 20, 10, 5, 2, 1)
DENOMINATIONS: tuple[int, ...] = NOTES + COINS
MAX_PIECES = 100_000  # of one denomination: a typing slip beyond that
CASH = "cash"


class InvalidCashCount(PosError):
    """A count the till cannot take: an unknown denomination, or a number of pieces outside
    0..``MAX_PIECES``."""

    def __init__(self, denomination: int, pieces: int) -> None:
        super().__init__(f"invalid count: {pieces} x {denomination} cents")
        self.denomination = denomination
        self.pieces = pieces


@dataclass(frozen=True, slots=True)
class CashCount:
    """The pieces of each denomination found in a drawer (only the denominations counted)."""

    pieces: Mapping[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        clean: dict[int, int] = {}
        for denomination, pieces in self.pieces.items():
            if denomination not in DENOMINATIONS or not 0 <= pieces <= MAX_PIECES:
                raise InvalidCashCount(denomination, pieces)
            if pieces:
                clean[denomination] = pieces
        object.__setattr__(self, "pieces", dict(sorted(clean.items(), reverse=True)))

    @property
    def total_cents(self) -> int:
        return sum(d * n for d, n in self.pieces.items())

    def of(self, denomination: int) -> int:
        return self.pieces.get(denomination, 0)

    def to_wire(self) -> dict[str, int]:
        return {str(d): n for d, n in self.pieces.items()}

    @classmethod
    def from_wire(cls, data: Mapping[str, int]) -> CashCount:
        try:
            return cls({int(d): int(n) for d, n in data.items()})
        except ValueError as exc:
            raise InvalidCashCount(0, 0) from exc


def is_note(denomination: int) -> bool:
    return denomination in NOTES


# --- what a session recorded (read by the repository, in the closing transaction) -----------


@dataclass(frozen=True, slots=True)
class TaxFact:
    rate: str  # Decimal percent as text: "21", "10", "4", "0"
    base_cents: int
    tax_cents: int
    total_cents: int


@dataclass(frozen=True, slots=True)
class SaleFact:
    """One completed sale of the session: its number, totals, payments and taxes."""

    receipt_number: str
    total_cents: int
    discount_cents: int
    payments: tuple[tuple[str, int], ...]  # (kind, cents kept: change already taken off)
    taxes: tuple[TaxFact, ...]


@dataclass(frozen=True, slots=True)
class ReturnFact:
    """One return of the session: its total, how the money went back, and its taxes."""

    return_number: str
    total_cents: int
    refunds: tuple[tuple[str, int], ...]  # (kind, cents)
    taxes: tuple[TaxFact, ...]


@dataclass(frozen=True, slots=True)
class CancellationFact:
    """One sale of the session annulled: its ticket, what went back in each tender, and the
    cancelled sale's taxes (taken off the session's)."""

    receipt_number: str
    total_cents: int
    refunds: tuple[tuple[str, int], ...]  # (kind, cents)
    taxes: tuple[TaxFact, ...]


@dataclass(frozen=True, slots=True)
class MovementFact:
    kind: str  # in | out
    amount_cents: int


@dataclass(frozen=True, slots=True)
class SessionFacts:
    """Everything a session recorded, oldest first."""

    float_cents: int
    sales: tuple[SaleFact, ...] = ()
    returns: tuple[ReturnFact, ...] = ()
    movements: tuple[MovementFact, ...] = ()
    abandoned_cents: tuple[int, ...] = ()  # the total of each sale abandoned
    drawer_openings: int = 0  # by hand, without a sale
    cancellations: tuple[CancellationFact, ...] = ()


@dataclass(frozen=True, slots=True)
class TenderFigure:
    kind: str
    count: int  # payments and refunds of that kind
    amount_cents: int  # net


@dataclass(frozen=True, slots=True)
class TillFigures:
    """The figures of an X or Z report."""

    float_cents: int
    cash_in_cents: int
    cash_out_cents: int
    cash_sales_cents: int
    cash_refunds_cents: int
    expected_cash_cents: int
    sales_count: int
    sales_total_cents: int
    returns_count: int
    returns_total_cents: int
    discounts_cents: int
    abandoned_count: int
    abandoned_total_cents: int
    drawer_openings: int
    first_number: str
    last_number: str
    tenders: tuple[TenderFigure, ...]
    taxes: tuple[TaxFact, ...]
    cancelled_count: int = 0
    cancelled_total_cents: int = 0
    cash_cancelled_cents: int = 0  # cash given back by cancellations

    @property
    def net_total_cents(self) -> int:
        return self.sales_total_cents - self.returns_total_cents - self.cancelled_total_cents


_TENDER_ORDER = ("cash", "card", "voucher", "exchange")


def _rate_key(rate: str) -> tuple[Decimal, str]:
    try:
        return (-Decimal(rate), rate)
    except InvalidOperation:
        return (Decimal(0), rate)


def normalize_rate(rate: str) -> str:
    """``"21.00"`` and ``"21"`` are the same rate: ``"21"``."""
    try:
        return format(Decimal(rate).normalize(), "f")
    except InvalidOperation:
        return rate


def _net_taxes(plus: Iterable[TaxFact], minus: Iterable[TaxFact]) -> tuple[TaxFact, ...]:
    sums: dict[str, list[int]] = {}
    for sign, facts in ((1, plus), (-1, minus)):
        for fact in facts:
            row = sums.setdefault(normalize_rate(fact.rate), [0, 0, 0])
            row[0] += sign * fact.base_cents
            row[1] += sign * fact.tax_cents
            row[2] += sign * fact.total_cents
    return tuple(
        TaxFact(rate, sums[rate][0], sums[rate][1], sums[rate][2])
        for rate in sorted(sums, key=_rate_key)
    )


def till_figures(facts: SessionFacts) -> TillFigures:
    """The X/Z figures of a session: every sum is the sum of the session's records."""
    counts: dict[str, int] = {}
    amounts: dict[str, int] = {}
    for sale in facts.sales:
        for kind, cents in sale.payments:
            counts[kind] = counts.get(kind, 0) + 1
            amounts[kind] = amounts.get(kind, 0) + cents
    backs: tuple[ReturnFact | CancellationFact, ...] = (*facts.returns, *facts.cancellations)
    for back in backs:
        for kind, cents in back.refunds:
            counts[kind] = counts.get(kind, 0) + 1
            amounts[kind] = amounts.get(kind, 0) - cents
    cash_sales = sum(c for s in facts.sales for k, c in s.payments if k == CASH)
    cash_refunds = sum(c for r in facts.returns for k, c in r.refunds if k == CASH)
    cash_cancelled = sum(c for x in facts.cancellations for k, c in x.refunds if k == CASH)
    cash_in = sum(m.amount_cents for m in facts.movements if m.kind == "in")
    cash_out = sum(m.amount_cents for m in facts.movements if m.kind == "out")
    kinds = sorted(counts, key=lambda k: (_TENDER_ORDER.index(k) if k in _TENDER_ORDER else 99, k))
    return TillFigures(
        float_cents=facts.float_cents,
        cash_in_cents=cash_in,
        cash_out_cents=cash_out,
        cash_sales_cents=cash_sales,
        cash_refunds_cents=cash_refunds,
        expected_cash_cents=(
            facts.float_cents + cash_sales + cash_in - cash_out - cash_refunds - cash_cancelled
        ),
        sales_count=len(facts.sales),
        sales_total_cents=sum(s.total_cents for s in facts.sales),
        returns_count=len(facts.returns),
        returns_total_cents=sum(r.total_cents for r in facts.returns),
        discounts_cents=sum(s.discount_cents for s in facts.sales),
        abandoned_count=len(facts.abandoned_cents),
        abandoned_total_cents=sum(facts.abandoned_cents),
        drawer_openings=facts.drawer_openings,
        first_number=facts.sales[0].receipt_number if facts.sales else "",
        last_number=facts.sales[-1].receipt_number if facts.sales else "",
        tenders=tuple(TenderFigure(k, counts[k], amounts[k]) for k in kinds),
        taxes=_net_taxes(
            (t for s in facts.sales for t in s.taxes),
            (t for back in backs for t in back.taxes),
        ),
        cancelled_count=len(facts.cancellations),
        cancelled_total_cents=sum(x.total_cents for x in facts.cancellations),
        cash_cancelled_cents=cash_cancelled,
    )


def format_z_number(store_code: str, register_code: str, year: int, number: int) -> str:
    """``T01-C01-Z2026-0001``: the Z closes of a register, a series per year."""
    return f"{store_code}-{register_code}-Z{year:04d}-{number:04d}"


def z_series(store_code: str, register_code: str, year: int) -> str:
    return f"{store_code}-{register_code}-Z{year:04d}"


@dataclass(frozen=True, slots=True)
class TillSession:
    """A till session as stored: open until its Z close (``z_number`` set)."""

    till_id: str
    opened_at: datetime
    cashier: str
    float_count: CashCount
    closed_at: datetime | None = None
    closed_by: str = ""
    z_number: str = ""
    counted: CashCount | None = None
    expected_cents: int | None = None
    difference_cents: int | None = None
    report: Mapping[str, Any] | None = None  # the till.closed payload

    @property
    def float_cents(self) -> int:
        return self.float_count.total_cents

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


@dataclass(frozen=True, slots=True)
class CashMovement:
    movement_id: str
    till_id: str
    at: datetime
    kind: str  # in | out
    amount_cents: int
    reason: str
    cashier: str
    approved_by: str = ""
