"""The sale in progress: lines, discounts, totals with tax per rate, and tenders.

Totals are computed so that they never drift by a cent:

1. each line's gross amount is ``round(unit price x quantity)`` (or the price printed on a
   price-embedded label);
2. a line discount (percent, rounded half up; or an amount, capped at the gross) gives the line's
   net before the basket discount;
3. a basket discount (percent of the sum of those nets, rounded; or an amount, capped at it) is
   shared among the lines in proportion to their nets by the largest-remainder method, so the
   shares add up to the basket discount exactly;
4. each line's final amount is split into base and tax at its rate (see ``tax.py``); the tax per
   rate is the sum of its lines, and the total is the sum of the lines' final amounts.

So: total = sum of lines = sum over rates of (base + tax), and total tax = sum of tax per rate.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from pos_app.domain.errors import (
    EmptyCart,
    InsufficientTender,
    InvalidDiscount,
    InvalidQuantity,
    InvalidTender,
    NothingToPay,
    Overpayment,
    PaymentError,
    UnknownLine,
)
from pos_app.domain.ids import new_id
from pos_app.domain.money import Money
from pos_app.domain.tax import TaxRate, split_tax_included

MAX_QUANTITY = Decimal(9999)


class Measure(StrEnum):
    UNIT = "unit"
    WEIGHT = "weight"  # unit price is per kilogram, quantity in kilograms (3 decimals)
    PRICE = "price"  # price-embedded label: the label says the amount


@dataclass(frozen=True, slots=True)
class ProductSnapshot:
    """What a cart line keeps of a product as it was when added."""

    product_id: str
    sku: str
    name: str
    unit_price: Money
    tax: TaxRate
    measure: Measure = Measure.UNIT


class DiscountKind(StrEnum):
    PERCENT = "percent"
    AMOUNT = "amount"


@dataclass(frozen=True, slots=True)
class Discount:
    kind: DiscountKind
    value: Decimal  # percent (0 < p <= 100) or cents (> 0)

    @classmethod
    def percent(cls, percent: Decimal | int | str) -> Discount:
        value = Decimal(percent)
        if not value.is_finite() or value <= 0 or value > 100:
            raise InvalidDiscount("percent must be above 0 and at most 100")
        if value.as_tuple().exponent < -2:  # type: ignore[operator]
            raise InvalidDiscount("percent has at most two decimals")
        return cls(DiscountKind.PERCENT, value)

    @classmethod
    def amount(cls, amount: Money) -> Discount:
        if amount.cents <= 0:
            raise InvalidDiscount("amount must be positive")
        return cls(DiscountKind.AMOUNT, Decimal(amount.cents))

    def of(self, cents: int) -> int:
        """The discount in cents on an amount of ``cents``, never more than the amount."""
        if self.kind is DiscountKind.PERCENT:
            return min(cents, Money(cents).percent(self.value).cents)
        return min(cents, int(self.value))


@dataclass(frozen=True, slots=True)
class CartLine:
    line_id: str
    product: ProductSnapshot
    quantity: Decimal
    price_override: Money | None = None
    discount: Discount | None = None

    @property
    def gross(self) -> Money:
        if self.price_override is not None:
            return self.price_override
        return self.product.unit_price.times(self.quantity)


class TenderKind(StrEnum):
    CASH = "cash"
    CARD = "card"
    VOUCHER = "voucher"  # store credit: the voucher's code is the reference
    # The credit of a return exchanged for this sale: committed with the return (reference:
    # the return's number; before that, the original's reference).
    EXCHANGE = "exchange"


@dataclass(frozen=True, slots=True)
class Tender:
    tender_id: str
    kind: TenderKind
    amount: Money  # what it pays of the sale
    tendered: Money  # what was handed over (cash); equal to amount for a card
    reference: str = ""  # the card terminal's approval reference

    @property
    def change(self) -> Money:
        return self.tendered - self.amount


@dataclass(frozen=True, slots=True)
class LineTotals:
    line: CartLine
    gross: Money
    line_discount: Money
    basket_discount: Money
    total: Money
    base: Money
    tax: Money

    @property
    def discount(self) -> Money:
        return self.line_discount + self.basket_discount


@dataclass(frozen=True, slots=True)
class TaxBreakdownRow:
    tax_class: str
    label: str
    rate: Decimal
    base: Money
    tax: Money
    total: Money


@dataclass(frozen=True, slots=True)
class CartTotals:
    lines: tuple[LineTotals, ...]
    gross: Money
    discount: Money
    total: Money
    tax: Money
    tax_rows: tuple[TaxBreakdownRow, ...]
    item_count: Decimal


@dataclass(frozen=True, slots=True)
class PaymentSummary:
    total: Money
    paid: Money
    due: Money
    change: Money

    @property
    def is_settled(self) -> bool:
        return self.due.cents == 0


def _allocate(total: int, weights: list[int]) -> list[int]:
    """Share ``total`` cents in proportion to ``weights`` (largest remainder); sums exactly."""
    weight_sum = sum(weights)
    if total == 0 or weight_sum == 0:
        return [0] * len(weights)
    shares = [total * w // weight_sum for w in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % weight_sum), i))
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    return shares


def compute_totals(
    lines: tuple[CartLine, ...], basket_discount: Discount | None, currency: str = "EUR"
) -> CartTotals:
    grosses = [line.gross.cents for line in lines]
    line_discounts = [
        line.discount.of(gross) if line.discount else 0
        for line, gross in zip(lines, grosses, strict=True)
    ]
    nets = [g - d for g, d in zip(grosses, line_discounts, strict=True)]
    basket = basket_discount.of(sum(nets)) if basket_discount else 0
    shares = _allocate(basket, nets)
    line_totals = []
    rows: dict[tuple[str, Decimal], list[int]] = {}
    labels: dict[tuple[str, Decimal], str] = {}
    item_count = Decimal(0)
    for line, gross, ldisc, net, share in zip(
        lines, grosses, line_discounts, nets, shares, strict=True
    ):
        final = net - share
        base, tax = split_tax_included(final, line.product.tax.rate)
        line_totals.append(
            LineTotals(
                line,
                Money(gross, currency),
                Money(ldisc, currency),
                Money(share, currency),
                Money(final, currency),
                Money(base, currency),
                Money(tax, currency),
            )
        )
        key = (line.product.tax.tax_class, line.product.tax.rate)
        acc = rows.setdefault(key, [0, 0, 0])
        acc[0] += base
        acc[1] += tax
        acc[2] += final
        labels[key] = line.product.tax.label
        item_count += line.quantity if line.product.measure is Measure.UNIT else 1
    tax_rows = tuple(
        TaxBreakdownRow(
            tax_class=key[0],
            label=labels[key],
            rate=key[1],
            base=Money(acc[0], currency),
            tax=Money(acc[1], currency),
            total=Money(acc[2], currency),
        )
        for key, acc in sorted(rows.items(), key=lambda kv: (-kv[0][1], kv[0][0]))
    )
    total = sum((lt.total.cents for lt in line_totals), 0)
    return CartTotals(
        lines=tuple(line_totals),
        gross=Money(sum(grosses), currency),
        discount=Money(sum(line_discounts) + basket, currency),
        total=Money(total, currency),
        tax=Money(sum(r.tax.cents for r in tax_rows), currency),
        tax_rows=tax_rows,
        item_count=item_count,
    )


class PaymentInProgress(PaymentError):
    def __init__(self) -> None:
        super().__init__("the cart cannot change while tenders are recorded")


def _check_quantity(quantity: Decimal, measure: Measure) -> Decimal:
    if not quantity.is_finite() or quantity <= 0 or quantity > MAX_QUANTITY:
        raise InvalidQuantity(quantity)
    if measure is Measure.UNIT and quantity != quantity.to_integral_value():
        raise InvalidQuantity(quantity)
    if quantity.as_tuple().exponent < -3:  # type: ignore[operator]
        raise InvalidQuantity(quantity)
    return quantity


@dataclass
class Cart:
    """The sale being rung up. Changed only through its methods; totals are derived."""

    currency: str = "EUR"
    merge_same_product: bool = True
    _lines: list[CartLine] = field(default_factory=list)
    _basket_discount: Discount | None = None
    _tenders: list[Tender] = field(default_factory=list)
    _exchange: Tender | None = None  # the exchange credit (its full amount), see set_exchange

    # --- lines -------------------------------------------------------------------------
    @property
    def lines(self) -> tuple[CartLine, ...]:
        return tuple(self._lines)

    @property
    def basket_discount(self) -> Discount | None:
        return self._basket_discount

    @property
    def tenders(self) -> tuple[Tender, ...]:
        """The exchange credit first (what it pays: up to the total), then the others."""
        applied = self.exchange_applied
        if self._exchange is None or applied <= 0:
            return tuple(self._tenders)
        amount = Money(applied, self.currency)
        return (replace(self._exchange, amount=amount, tendered=amount), *self._tenders)

    def is_empty(self) -> bool:
        return not self._lines

    def _guard(self) -> None:
        if self._tenders:
            raise PaymentInProgress()

    def _index(self, line_id: str) -> int:
        for i, line in enumerate(self._lines):
            if line.line_id == line_id:
                return i
        raise UnknownLine(line_id)

    def line(self, line_id: str) -> CartLine:
        return self._lines[self._index(line_id)]

    def add(
        self,
        product: ProductSnapshot,
        quantity: Decimal = Decimal(1),
        *,
        price_override: Money | None = None,
    ) -> CartLine:
        """Add a product; the same unit product scanned again raises its quantity (if merging)."""
        self._guard()
        _check_quantity(quantity, product.measure if price_override is None else Measure.WEIGHT)
        if price_override is not None and price_override.cents <= 0:
            raise InvalidQuantity(str(price_override))
        if self.merge_same_product and product.measure is Measure.UNIT and price_override is None:
            for i, line in enumerate(self._lines):
                if (
                    line.product.product_id == product.product_id
                    and line.price_override is None
                    and line.product.unit_price == product.unit_price
                ):
                    merged = replace(
                        line, quantity=_check_quantity(line.quantity + quantity, Measure.UNIT)
                    )
                    self._lines[i] = merged
                    return merged
        line = CartLine(new_id(), product, quantity, price_override)
        self._lines.append(line)
        return line

    def set_quantity(self, line_id: str, quantity: Decimal) -> CartLine:
        self._guard()
        i = self._index(line_id)
        line = self._lines[i]
        if line.price_override is not None:
            raise InvalidQuantity(quantity)  # the label fixes the amount
        self._lines[i] = replace(line, quantity=_check_quantity(quantity, line.product.measure))
        return self._lines[i]

    def remove_line(self, line_id: str) -> CartLine:
        self._guard()
        return self._lines.pop(self._index(line_id))

    def set_line_discount(self, line_id: str, discount: Discount | None) -> CartLine:
        self._guard()
        i = self._index(line_id)
        self._lines[i] = replace(self._lines[i], discount=discount)
        return self._lines[i]

    def set_basket_discount(self, discount: Discount | None) -> None:
        self._guard()
        if discount is not None and not self._lines:
            raise EmptyCart()
        self._basket_discount = discount

    def totals(self) -> CartTotals:
        return compute_totals(self.lines, self._basket_discount, self.currency)

    # --- tenders -----------------------------------------------------------------------
    def payment(self) -> PaymentSummary:
        total = self.totals().total
        paid = Money(sum(t.amount.cents for t in self.tenders), self.currency)
        change = Money(sum(t.change.cents for t in self.tenders), self.currency)
        return PaymentSummary(total, paid, total - paid, change)

    def _due(self) -> int:
        if not self._lines:
            raise EmptyCart()
        due = self.payment().due.cents
        if due <= 0:
            raise NothingToPay()
        return due

    def add_cash(self, tendered: Money) -> Tender:
        """Cash handed over; pays up to what is due, the rest is change."""
        if tendered.cents <= 0:
            raise InvalidTender("amount must be positive")
        due = self._due()
        tender = Tender(
            new_id(), TenderKind.CASH, Money(min(due, tendered.cents), self.currency), tendered
        )
        self._tenders.append(tender)
        return tender

    def add_card(self, amount: Money, reference: str) -> Tender:
        """An amount approved by the external card terminal, with its reference."""
        if amount.cents <= 0:
            raise InvalidTender("amount must be positive")
        if not reference.strip():
            raise InvalidTender("reference required")
        due = self._due()
        if amount.cents > due:
            raise Overpayment(due)
        tender = Tender(new_id(), TenderKind.CARD, amount, amount, reference.strip())
        self._tenders.append(tender)
        return tender

    def add_voucher(self, code: str, amount: Money) -> Tender:
        """Store credit spent: at most what is due, never change. The balance is checked by
        the service (the domain does not know it)."""
        if amount.cents <= 0:
            raise InvalidTender("amount must be positive")
        if not code.strip():
            raise InvalidTender("voucher code required")
        due = self._due()
        if amount.cents > due:
            raise Overpayment(due)
        tender = Tender(new_id(), TenderKind.VOUCHER, amount, amount, code.strip())
        self._tenders.append(tender)
        return tender

    def voucher_spent(self, code: str) -> int:
        """Cents of voucher ``code`` already among the tenders."""
        return sum(
            t.amount.cents
            for t in self._tenders
            if t.kind is TenderKind.VOUCHER and t.reference == code
        )

    def remove_tender(self, tender_id: str) -> None:
        """The exchange credit is not removed here (``set_exchange(None)`` drops it)."""
        self._tenders = [t for t in self._tenders if t.tender_id != tender_id]

    def clear_tenders(self) -> None:
        """The tenders added at payment; the exchange credit stays."""
        self._tenders.clear()

    # --- exchange -----------------------------------------------------------------------
    def set_exchange(self, reference: str, credit: Money | None) -> None:
        """A return's credit paying this sale (``None``: no exchange). It pays up to the total
        by itself and follows the lines as they change; what it has beyond the total is
        ``exchange_excess`` (refunded to the customer). Lines change freely with it."""
        if credit is None:
            self._exchange = None
            return
        if credit.cents <= 0:
            raise InvalidTender("amount must be positive")
        self._tenders.clear()
        self._exchange = Tender(new_id(), TenderKind.EXCHANGE, credit, credit, reference.strip())

    @property
    def exchange_credit(self) -> int:
        return self._exchange.amount.cents if self._exchange is not None else 0

    @property
    def exchange_applied(self) -> int:
        """Cents of the exchange credit that pay this sale."""
        if self._exchange is None:
            return 0
        return min(self._exchange.amount.cents, max(self.totals().total.cents, 0))

    @property
    def exchange_excess(self) -> int:
        """Cents of the exchange credit beyond the total: to refund."""
        return self.exchange_credit - self.exchange_applied

    def ensure_settled(self) -> PaymentSummary:
        if not self._lines:
            raise EmptyCart()
        summary = self.payment()
        if summary.due.cents != 0:
            raise InsufficientTender(summary.due.cents)
        return summary

    def clear(self) -> None:
        self._lines.clear()
        self._tenders.clear()
        self._basket_discount = None
        self._exchange = None

    # --- parking ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-able picture of the lines and discounts (tenders are never parked)."""
        return {
            "currency": self.currency,
            "basket_discount": _discount_to_dict(self._basket_discount),
            "lines": [
                {
                    "line_id": line.line_id,
                    "quantity": str(line.quantity),
                    "price_override": line.price_override.cents if line.price_override else None,
                    "discount": _discount_to_dict(line.discount),
                    "product": {
                        "product_id": line.product.product_id,
                        "sku": line.product.sku,
                        "name": line.product.name,
                        "unit_price": line.product.unit_price.cents,
                        "measure": line.product.measure.value,
                        "tax": {
                            "tax_class": line.product.tax.tax_class,
                            "name": line.product.tax.name,
                            "rate": str(line.product.tax.rate),
                            "valid_from": line.product.tax.valid_from.isoformat(),
                        },
                    },
                }
                for line in self._lines
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, merge_same_product: bool = True) -> Cart:
        from datetime import date

        currency = str(data.get("currency", "EUR"))
        cart = cls(currency=currency, merge_same_product=merge_same_product)
        for raw in data["lines"]:
            p = raw["product"]
            tax = TaxRate(
                p["tax"]["tax_class"],
                p["tax"]["name"],
                Decimal(p["tax"]["rate"]),
                date.fromisoformat(p["tax"]["valid_from"]),
            )
            product = ProductSnapshot(
                p["product_id"],
                p["sku"],
                p["name"],
                Money(int(p["unit_price"]), currency),
                tax,
                Measure(p["measure"]),
            )
            override = raw.get("price_override")
            cart._lines.append(
                CartLine(
                    raw["line_id"],
                    product,
                    Decimal(raw["quantity"]),
                    Money(int(override), currency) if override is not None else None,
                    _discount_from_dict(raw.get("discount")),
                )
            )
        cart._basket_discount = _discount_from_dict(data.get("basket_discount"))
        return cart


def _discount_to_dict(discount: Discount | None) -> dict[str, str] | None:
    if discount is None:
        return None
    return {"kind": discount.kind.value, "value": str(discount.value)}


def _discount_from_dict(data: dict[str, str] | None) -> Discount | None:
    if not data:
        return None
    return Discount(DiscountKind(data["kind"]), Decimal(data["value"]))
