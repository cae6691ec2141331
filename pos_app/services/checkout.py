"""Checkout: the sale in progress at one register, from the first scan to the committed sale.

``CheckoutService`` holds the cart (a domain object) and turns each cashier intent into one call
that returns a ``CartView``: an immutable picture of the cart the UI shows as it is. Completing a
sale is one transaction: the sale, its lines, taxes and payments, its stock movements, its
receipt number and its outbox event commit together or not at all. Printing comes after, through
``ReceiptService``: a sale is durable before any receipt prints.

An exchange (``start_exchange``) is a return and this sale in that one transaction: the return
(written by ``ReturnsService.record_exchange_return``, its ``return.completed`` first in the
outbox) pays the sale with a tender of kind exchange, and what its credit has beyond the total
goes back to the customer as the cashier chooses (cash, card, voucher: as the original allows).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from pos_app.domain.barcode import BarcodeLayout, ScanKind, is_scanner_syntax, parse_scan
from pos_app.domain.cart import (
    Cart,
    CartLine,
    CartTotals,
    Discount,
    DiscountKind,
    Measure,
    PaymentSummary,
    ProductSnapshot,
    Tender,
    TenderKind,
)
from pos_app.domain.errors import (
    CartNotEmpty,
    EmptyCart,
    InvalidBarcode,
    NotFound,
    PosError,
    UnknownProduct,
)
from pos_app.domain.ids import new_id
from pos_app.domain.money import Money
from pos_app.domain.permissions import Action, Approval
from pos_app.domain.sale import SaleRecord, build_sale_record, format_receipt_number
from pos_app.domain.tax import TaxRate, rate_on
from pos_app.failpoints import failpoint
from pos_app.services.errors import (
    CustomerNotFound,
    ExchangeInProgress,
    ExchangeRefundRequired,
    NotConfigured,
    PickupSaleInProgress,
    SaleNotSaved,
    TaxRateMissing,
    VoucherBalanceExceeded,
    WeightRequired,
)
from pos_app.services.invoices import (
    InvoiceLimits,
    InvoiceRecipient,
    check_invoice_limits,
    make_recipient,
)
from pos_app.services.journal import append_record
from pos_app.services.pickups import PickupCollection, record_counter_hand_over
from pos_app.services.ports import (
    Clock,
    ParkedSale,
    ProductRecord,
    StoreIdentity,
    UnitOfWork,
    UnitOfWorkFactory,
    VoucherLookup,
)
from pos_app.services.returns import (
    ExchangeCredit,
    RefundRequest,
    ReturnCompleted,
    ReturnsService,
)
from pos_app.services.staff import StaffService
from pos_app.services.till import TillService
from pos_app.services.vouchers import (
    VoucherBalance,
    VoucherCheck,
    fetch_voucher,
    find_voucher,
    normalize_code,
    remember_voucher,
)

log = logging.getLogger(__name__)

SALE_COMPLETED = "sale.completed"
SALE_ABANDONED = "sale.abandoned"


@dataclass(frozen=True, slots=True)
class ExchangeView:
    """A return's credit paying the sale in progress (an exchange), as the screens show it."""

    reference: str  # the original's receipt or web order number
    credit_cents: int  # the whole credit of the returned lines
    applied_cents: int  # what of it pays this sale (up to its total)
    refund_cents: int  # what of it is beyond the sale: given back to the customer
    refund_kinds: tuple[str, ...]  # how that may go back (cash, card, voucher)


@dataclass(frozen=True, slots=True)
class CartView:
    """What the checkout screen shows, after any change."""

    lines: tuple[CartLine, ...]
    totals: CartTotals
    payment: PaymentSummary
    tenders: tuple[Tender, ...]
    basket_discount: Discount | None
    focus_line_id: str | None = None  # the line just added or changed
    order_number: str | None = None  # the pickup order this sale pays, if any
    exchange: ExchangeView | None = None  # the return whose credit pays this sale, if any
    customer_id: str | None = None  # the customer attached to the sale, if any
    customer_name: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.lines


@dataclass(frozen=True, slots=True)
class SaleCompleted:
    sale: SaleRecord
    outbox_event_id: str
    order_number: str | None = None  # the pickup order the sale paid and handed over
    pickup_status: str | None = None  # collected | partially_collected
    exchange: ReturnCompleted | None = None  # the return committed with it (an exchange)


@dataclass
class _OrderSale:
    """The pickup order a sale in progress pays: which cart lines are its lines."""

    order_id: str
    number: str
    lines: dict[str, int]  # cart line id -> order line number


@dataclass(frozen=True, slots=True)
class SaleParked:
    parked_id: str
    view: CartView


@dataclass(frozen=True, slots=True)
class _AttachedCustomer:
    """The customer attached to the sale in progress (``from_order``: the pickup order's, named
    by the backend even when this register does not keep them)."""

    customer_id: str
    name: str
    from_order: bool = False


def sale_to_payload(sale: SaleRecord) -> dict[str, Any]:
    """The sale as the outbox event carries it (wire form: strings for decimals and times)."""
    return {
        "sale_id": sale.sale_id,
        "receipt_number": sale.receipt_number,
        "store_code": sale.store_code,
        "register_code": sale.register_code,
        "cashier": sale.cashier,
        "completed_at": sale.completed_at.isoformat(),
        "currency": sale.currency,
        "gross_cents": sale.gross_cents,
        "discount_cents": sale.discount_cents,
        "total_cents": sale.total_cents,
        "tax_cents": sale.tax_cents,
        "change_cents": sale.change_cents,
        "lines": [line.as_plain() for line in sale.lines],
        "taxes": [
            {
                "tax_class": tax.tax_class,
                "rate": str(tax.rate),
                "base_cents": tax.base_cents,
                "tax_cents": tax.tax_cents,
                "total_cents": tax.total_cents,
            }
            for tax in sale.taxes
        ],
        "payments": [
            {
                "payment_id": tender.tender_id,
                "kind": tender.kind.value,
                "amount_cents": tender.amount.cents,
                "tendered_cents": tender.tendered.cents,
                "reference": tender.reference,
            }
            for tender in sale.tenders
        ],
    }


def _discount_text(discount: Discount) -> str:
    if discount.kind is DiscountKind.PERCENT:
        return f"{discount.value}%"
    return f"{int(discount.value)} cents"


class CheckoutService:
    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        identity: StoreIdentity,
        *,
        cashier: str,
        layout: BarcodeLayout | None = None,
        merge_same_product: bool = True,
        staff: StaffService | None = None,
        voucher_lookup: VoucherLookup | None = None,
        returns: ReturnsService | None = None,
        till: TillService | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        # With a till: no sale without an open till, each sale tagged with its session.
        self.till = till
        self.returns = returns  # writes the return of an exchange in the sale's transaction
        self._exchange: ExchangeCredit | None = None
        self._clock = clock
        self.identity = identity
        self._cashier = cashier
        self.staff = staff
        self.voucher_lookup = voucher_lookup  # the backend's balances (None: offline only)
        self._layout = layout or BarcodeLayout.spanish_default()
        self._cart = Cart(currency=identity.currency, merge_same_product=merge_same_product)
        self._tax_rates: list[TaxRate] | None = None
        self._order: _OrderSale | None = None
        self._customer: _AttachedCustomer | None = None
        self._invoice: InvoiceRecipient | None = None  # a full invoice (F1) asked for
        self.invoice_limits = InvoiceLimits()

    @property
    def cashier(self) -> str:
        """Who is selling: the signed-in person, or the settings' cashier without staff."""
        return self.staff.cashier_name(self._cashier) if self.staff else self._cashier

    @cashier.setter
    def cashier(self, name: str) -> None:
        self._cashier = name

    # --- reading -------------------------------------------------------------------------
    def view(self, focus_line_id: str | None = None) -> CartView:
        return CartView(
            lines=self._cart.lines,
            totals=self._cart.totals(),
            payment=self._cart.payment(),
            tenders=self._cart.tenders,
            basket_discount=self._cart.basket_discount,
            focus_line_id=focus_line_id,
            order_number=self._order.number if self._order is not None else None,
            exchange=self._exchange_view(),
            customer_id=self._customer.customer_id if self._customer is not None else None,
            customer_name=self._customer.name if self._customer is not None else None,
        )

    def _exchange_view(self) -> ExchangeView | None:
        credit = self._exchange
        if credit is None:
            return None
        return ExchangeView(
            reference=credit.reference,
            credit_cents=credit.credit_cents,
            applied_cents=self._cart.exchange_applied,
            refund_cents=self._cart.exchange_excess,
            refund_kinds=credit.refund_kinds,
        )

    def search(self, text: str, limit: int = 50) -> list[ProductRecord]:
        with self._uow_factory.reader() as uow:
            return uow.catalog.search(text, limit)

    def reload_tax_rates(self) -> None:
        with self._uow_factory.reader() as uow:
            self._tax_rates = uow.catalog.tax_rates()

    def _snapshot(self, product: ProductRecord) -> ProductSnapshot:
        if self._tax_rates is None:
            self.reload_tax_rates()
        assert self._tax_rates is not None
        try:
            tax = rate_on(self._tax_rates, product.tax_class, self._clock.today())
        except LookupError as exc:
            raise TaxRateMissing(product.tax_class) from exc
        return ProductSnapshot(
            product.product_id, product.sku, product.name, product.price, tax, product.measure
        )

    # --- building the cart ---------------------------------------------------------------
    def scan(self, code: str) -> CartView:
        """A barcode scanned or typed (or a SKU typed): add the product it names.

        Raises ``InvalidBarcode`` or ``UnknownProduct``; the cart is then unchanged. A weight
        label (scales' EAN-13 or GS1 (310n)) on a product not sold by weight is an
        ``InvalidBarcode`` with the reason ``not_sold_by_weight``.
        """
        raw = code.strip()
        if raw and not raw.isdigit() and not is_scanner_syntax(raw):
            with self._uow_factory.reader() as uow:
                product = uow.catalog.find_by_sku(raw)
            if product is None:
                raise UnknownProduct(raw)
            return self._add(product, self._one(product))
        parsed = parse_scan(raw, self._layout)
        with self._uow_factory.reader() as uow:
            product = uow.catalog.find_by_barcode(parsed.lookup_code)
        if product is None:
            raise UnknownProduct(parsed.raw.strip())
        if parsed.kind is ScanKind.WEIGHT:
            assert parsed.value is not None
            if product.measure is not Measure.WEIGHT:
                raise InvalidBarcode(parsed.raw.strip(), "not_sold_by_weight")
            return self._add(product, parsed.value)
        if parsed.kind is ScanKind.PRICE:
            assert parsed.price_cents is not None
            return self._add(
                product, Decimal(1), price=Money(parsed.price_cents, product.price.currency)
            )
        return self._add(product, self._one(product))

    @staticmethod
    def _one(product: ProductRecord) -> Decimal:
        """One of ``product``, when nothing says how much: a weighed product must be weighed."""
        if product.measure is Measure.WEIGHT:
            raise WeightRequired(product.product_id, product.name)
        return Decimal(1)

    def add_product(self, product_id: str, quantity: Decimal | None = None) -> CartView:
        """Add a product picked by name; ``quantity`` None is one unit, or ``WeightRequired``
        for a product sold by weight."""
        with self._uow_factory.reader() as uow:
            product = uow.catalog.get(product_id)
        if product is None:
            raise UnknownProduct(product_id)
        return self._add(product, self._one(product) if quantity is None else quantity)

    def _add(
        self, product: ProductRecord, quantity: Decimal, price: Money | None = None
    ) -> CartView:
        snapshot = self._snapshot(product)
        if price is not None:
            line = self._cart.add(snapshot, quantity, price_override=price)
        else:
            if product.measure is Measure.PRICE:
                # A price-embedded item typed or picked without its label: sold at its unit price.
                snapshot = ProductSnapshot(
                    snapshot.product_id,
                    snapshot.sku,
                    snapshot.name,
                    snapshot.unit_price,
                    snapshot.tax,
                    Measure.UNIT,
                )
            line = self._cart.add(snapshot, quantity)
        return self.view(line.line_id)

    def set_quantity(self, line_id: str, quantity: Decimal) -> CartView:
        return self.view(self._cart.set_quantity(line_id, quantity).line_id)

    def remove_line(self, line_id: str) -> CartView:
        self._cart.remove_line(line_id)
        return self.view()

    def set_line_discount(
        self, line_id: str, discount: Discount | None, approval: Approval | None = None
    ) -> CartView:
        """Raises ``ManagerApprovalRequired`` beyond the signed-in person's limits without a
        manager's ``approval`` (the cart unchanged); an approval used is audited."""
        before = next((line for line in self._cart.lines if line.line_id == line_id), None)
        line = self._cart.set_line_discount(line_id, discount)
        if discount is not None and self.staff is not None:
            cents = sum(
                t.line_discount.cents
                for t in self._cart.totals().lines
                if t.line.line_id == line_id
            )
            detail = (
                f"line discount {_discount_text(discount)} ({cents} cents) on {line.product.name}"
            )
            self._authorize_discount(
                discount,
                cents,
                detail,
                approval,
                undo=lambda: self._cart.set_line_discount(
                    line_id, before.discount if before is not None else None
                ),
            )
        return self.view(line.line_id)

    def set_basket_discount(
        self, discount: Discount | None, approval: Approval | None = None
    ) -> CartView:
        """As ``set_line_discount``, for the whole basket."""
        before = self._cart.basket_discount
        self._cart.set_basket_discount(discount)
        if discount is not None and self.staff is not None:
            cents = sum(t.basket_discount.cents for t in self._cart.totals().lines)
            detail = f"basket discount {_discount_text(discount)} ({cents} cents)"
            self._authorize_discount(
                discount,
                cents,
                detail,
                approval,
                undo=lambda: self._cart.set_basket_discount(before),
            )
        return self.view()

    def _authorize_discount(
        self,
        discount: Discount,
        cents: int,
        detail: str,
        approval: Approval | None,
        undo: Callable[[], object],
    ) -> None:
        assert self.staff is not None
        percent = discount.value if discount.kind is DiscountKind.PERCENT else None
        try:
            used = self.staff.authorize(
                Action.DISCOUNT, detail=detail, approval=approval, percent=percent, cents=cents
            )
            if used is not None:
                self.staff.audit_override(used, detail=detail, reference=self._reference())
        except Exception:
            undo()
            raise

    def _reference(self) -> str:
        return self._order.number if self._order is not None else ""

    def start_order_sale(self, collection: PickupCollection) -> CartView:
        """Put the lines of a pickup order that leave with the customer in the cart, at the
        order's prices (their quantities then fixed), for payment at the counter. Completing
        the sale also records the hand-over; a line removed before paying stays in the store.
        """
        if not self._cart.is_empty():
            raise CartNotEmpty()
        if self._exchange is not None:
            raise ExchangeInProgress(self._exchange.reference)
        order = collection.order
        lines: dict[str, int] = {}
        try:
            with self._uow_factory.reader() as uow:
                products = {
                    n: uow.catalog.get(order.line(n).product_id) for n, _q in collection.quantities
                }
            for line_no, quantity in collection.quantities:
                line = order.line(line_no)
                product = products[line_no]
                if product is None:
                    raise UnknownProduct(line.sku)
                snapshot = replace(
                    self._snapshot(product),
                    name=line.name,
                    unit_price=Money(line.unit_price_cents, order.currency),
                )
                added = self._cart.add(
                    snapshot,
                    quantity,
                    price_override=Money(line.amount_cents(quantity), order.currency),
                )
                lines[added.line_id] = line_no
        except Exception:
            self._cart.clear()
            raise
        self._order = _OrderSale(order.order_id, order.number, lines)
        self._attach_order_customer(order.order_id, order.customer_name)
        return self.view()

    # --- the customer --------------------------------------------------------------------
    def attach_customer(self, customer_id: str) -> CartView:
        """The sale is the customer's (it joins their history). Raises ``CustomerNotFound``
        for a customer this register does not keep (look them up online first)."""
        with self._uow_factory.reader() as uow:
            customer = uow.customers.get(customer_id)
        if customer is None:
            raise CustomerNotFound(customer_id)
        self._customer = _AttachedCustomer(customer.customer_id, customer.name)
        return self.view()

    def detach_customer(self) -> CartView:
        self._customer = None
        return self.view()

    # --- a full invoice (F1) instead of a ticket ------------------------------------------
    @property
    def invoice(self) -> InvoiceRecipient | None:
        """The recipient of the full invoice this sale will be, or None for a ticket."""
        return self._invoice

    def request_invoice(self, tax_id: str, name: str, address: list[str]) -> InvoiceRecipient:
        """This sale is issued as a full invoice (F1) to the recipient; raises
        ``InvoiceRecipientInvalid`` (nothing changed) for a tax id, name or address refused."""
        self._invoice = make_recipient(tax_id, name, address)
        return self._invoice

    def cancel_invoice(self) -> None:
        self._invoice = None

    def refresh_customer(self) -> CartView | None:
        """After a pull: a customer erased meanwhile leaves the sale in progress (the view
        without them), or None when nothing changed."""
        attached = self._customer
        if attached is None or attached.from_order:
            return None
        with self._uow_factory.reader() as uow:
            customer = uow.customers.get(attached.customer_id)
        if customer is None:
            self._customer = None
            return self.view()
        if customer.name != attached.name:
            self._customer = replace(attached, name=customer.name)
            return self.view()
        return None

    def _attach_order_customer(self, order_id: str, order_name: str) -> None:
        with self._uow_factory.reader() as uow:
            stored = uow.pickups.get(order_id)
            customer_id = stored.order.customer_id if stored is not None else None
            customer = uow.customers.get(customer_id) if customer_id else None
        if customer_id:
            name = customer.name if customer is not None else order_name
            self._customer = _AttachedCustomer(customer_id, name, from_order=True)

    # --- exchanges ----------------------------------------------------------------------
    def start_exchange(self, credit: ExchangeCredit) -> CartView:
        """A return checked by ``ReturnsService.exchange_credit`` pays the sale about to be rung
        up: its credit is a tender of kind exchange, applied by itself up to the total. Nothing
        is written until ``complete_sale`` commits the return and the sale together; abandoning
        the sale (or ``cancel_exchange``) drops it. Raises ``CartNotEmpty`` over a sale in
        progress, ``ExchangeInProgress`` over another exchange."""
        if self.returns is None:
            raise NotConfigured("returns")
        if self._exchange is not None:
            raise ExchangeInProgress(self._exchange.reference)
        if not self._cart.is_empty():
            raise CartNotEmpty()
        self._cart.set_exchange(
            credit.reference, Money(credit.credit_cents, self.identity.currency)
        )
        self._exchange = credit
        return self.view()

    def cancel_exchange(self) -> CartView:
        """Drop the exchange (nothing was written): the lines stay, as a sale like any other,
        and the tenders added with the credit go (the amounts due changed)."""
        if self._exchange is not None:
            self._cart.clear_tenders()
            self._cart.set_exchange("", None)
            self._exchange = None
        return self.view()

    # --- parking and abandoning ----------------------------------------------------------
    def park(self, label: str = "") -> SaleParked:
        if self._cart.is_empty():
            raise EmptyCart()
        if self._order is not None:
            raise PickupSaleInProgress(self._order.number)
        if self._exchange is not None:
            raise ExchangeInProgress(self._exchange.reference)
        self._cart.clear_tenders()
        totals = self._cart.totals()
        parked = ParkedSale(
            parked_id=new_id(),
            parked_at=self._clock.now(),
            cashier=self.cashier,
            label=label.strip(),
            item_count=totals.item_count,
            total_cents=totals.total.cents,
            cart=self._cart.to_dict(),
        )
        if self._customer is not None:
            parked.cart["customer_id"] = self._customer.customer_id
            parked.cart["customer_name"] = self._customer.name
        with self._uow_factory() as uow:
            uow.parked.add(parked)
            uow.commit()
        self._cart.clear()
        self._customer = None
        self._invoice = None
        return SaleParked(parked.parked_id, self.view())

    def parked_sales(self) -> list[ParkedSale]:
        with self._uow_factory.reader() as uow:
            return uow.parked.list()

    def resume(self, parked_id: str) -> CartView:
        if not self._cart.is_empty():
            raise CartNotEmpty()
        if self._exchange is not None:
            raise ExchangeInProgress(self._exchange.reference)
        with self._uow_factory() as uow:
            parked = uow.parked.take(parked_id)
            if parked is None:
                raise NotFound("parked sale", parked_id)
            cart = Cart.from_dict(parked.cart, merge_same_product=self._cart.merge_same_product)
            customer_id = parked.cart.get("customer_id")
            customer = uow.customers.get(str(customer_id)) if customer_id else None
            uow.commit()
        self._cart = cart
        # A customer erased meanwhile is no longer in the parked cart, nor here.
        self._customer = (
            _AttachedCustomer(customer.customer_id, customer.name) if customer else None
        )
        return self.view()

    def abandon(self, reason: str = "", approval: Approval | None = None) -> CartView:
        """Drop the sale in progress, recording what it held, who and when. Beyond the
        signed-in person's limits (a void needs a manager) raises ``ManagerApprovalRequired``
        without a manager's ``approval``; an approval used is audited in the same transaction.
        """
        if self._cart.is_empty():
            raise EmptyCart()
        now = self._clock.now()
        totals = self._cart.totals()
        cart = self._cart.to_dict()
        detail = (
            f"void of a sale of {totals.total.cents} cents, {len(self._cart.lines)} line(s)"
            + (f": {reason.strip()}" if reason.strip() else "")
        )
        used = (
            self.staff.authorize(Action.VOID, detail=detail, approval=approval)
            if self.staff is not None
            else None
        )
        with self._uow_factory() as uow:
            abandoned_id = new_id()
            till_id = self.till.open_till_id(uow) if self.till is not None else None
            uow.abandoned.add(
                abandoned_id=abandoned_id,
                at=now,
                cashier=self.cashier,
                reason=reason.strip(),
                total_cents=totals.total.cents,
                cart=cart,
            )
            if till_id is not None:
                uow.tills.tag("abandoned", abandoned_id, till_id)
            uow.outbox.add(
                SALE_ABANDONED,
                {
                    "abandoned_id": abandoned_id,
                    "register_code": self.identity.register_code,
                    "cashier": self.cashier,
                    "at": now.isoformat(),
                    "reason": reason.strip(),
                    "total_cents": totals.total.cents,
                    "line_count": len(self._cart.lines),
                    "till_id": till_id,
                },
                occurred_at=now,
            )
            if used is not None:
                assert self.staff is not None
                self.staff.record_override(uow, used, detail=detail, reference=abandoned_id)
            uow.commit()
        self._cart.clear()
        self._order = None
        self._exchange = None
        self._customer = None
        self._invoice = None
        return self.view()

    # --- payment -------------------------------------------------------------------------
    def add_cash(self, tendered: Money) -> CartView:
        self._cart.add_cash(tendered)
        return self.view()

    def add_card(self, amount: Money, reference: str) -> CartView:
        self._cart.add_card(amount, reference)
        return self.view()

    def check_voucher(self, code: str) -> VoucherBalance:
        """What voucher ``code`` has left for this sale (what the cart already spends of it
        taken off). Online the backend's balance (cached here), offline the last known one.
        Raises ``VoucherNotFound``, ``VoucherInactive``, ``VoucherOffline``. Network I/O."""
        return self.learn_voucher(self.fetch_voucher(code))

    def fetch_voucher(self, code: str) -> VoucherCheck:
        """I/O pool: what the backend says of voucher ``code`` (no database writes)."""
        return fetch_voucher(self.voucher_lookup, code)

    def learn_voucher(self, check: VoucherCheck) -> VoucherBalance:
        """Database worker: keep what ``fetch_voucher`` learnt; what is left for this sale."""
        found = remember_voucher(self._uow_factory, check, self._clock.now())
        return self._left(found)

    def _left(self, found: VoucherBalance) -> VoucherBalance:
        left = max(found.balance_cents - self._cart.voucher_spent(found.code), 0)
        return replace(found, balance_cents=left)

    def add_voucher(self, code: str, amount: Money | None = None) -> CartView:
        """Pay ``amount`` (None: as much as it can, up to what is due) with voucher ``code``.

        Uses the balance this register knows (``check_voucher`` keeps the backend's): no
        network here, so the database worker never waits on the backend. Raises
        ``VoucherOffline`` for a voucher never checked, ``VoucherBalanceExceeded`` beyond its
        balance, ``Overpayment`` beyond what is due: the cart unchanged."""
        found = self._left(find_voucher(self._uow_factory, None, code, self._clock.now()))
        due = self._cart.payment().due.cents
        cents = min(found.balance_cents, due) if amount is None else amount.cents
        if cents > found.balance_cents or found.balance_cents <= 0:
            raise VoucherBalanceExceeded(found.code, found.balance_cents)
        self._cart.add_voucher(found.code, Money(cents, self.identity.currency))
        return self.view()

    def remove_tender(self, tender_id: str) -> CartView:
        self._cart.remove_tender(tender_id)
        return self.view()

    def clear_tenders(self) -> CartView:
        self._cart.clear_tenders()
        return self.view()

    def complete_sale(self, exchange_refund: RefundRequest | None = None) -> SaleCompleted:
        """Commit the paid sale in one durable transaction; the cart is then cleared.

        Raises ``EmptyCart`` or ``InsufficientTender`` (nothing written), or ``SaleNotSaved``
        when storage failed (nothing written, the cart kept, paid, so it can be retried).
        ``FullInvoiceRequired`` (a ticket above ``invoice_limits``: ``request_invoice`` first)
        and ``BusinessCashLimitExceeded`` (a business paying the cash limit or more in cash)
        write nothing either. The sale's fiscal record (F2, or F1 with ``request_invoice``)
        is written in its transaction.

        An exchange (``start_exchange``) commits its return in the same transaction, first:
        a credit beyond the total goes back by ``exchange_refund`` (cash, card with the
        terminal's reference, or voucher, as the original allows), else
        ``ExchangeRefundRequired``; the return's own checks raise as ``complete_return``'s.
        """
        payment = self._cart.ensure_settled()
        credit = self._exchange
        if credit is not None:
            excess = self._cart.exchange_excess
            if excess > 0:
                if exchange_refund is None:
                    raise ExchangeRefundRequired(excess, credit.refund_kinds)
                assert self.returns is not None
                self.returns.check_exchange_refund(credit, exchange_refund, excess)
        totals = self._cart.totals()
        check_invoice_limits(
            self.invoice_limits,
            total_cents=payment.total.cents,
            cash_cents=sum(t.amount.cents for t in self._cart.tenders if t.kind is TenderKind.CASH),
            recipient=self._invoice,
        )
        now = self._clock.now()
        ident = self.identity
        sale_id = new_id()
        series = f"{ident.store_code}-{ident.register_code}-{now.year:04d}"
        order = self._order
        try:
            sale, event_id, pickup_status, exchange = self._commit_sale(
                sale_id, series, now, totals, payment, exchange_refund
            )
        except PosError:
            raise
        except Exception as exc:
            log.exception("sale not saved")
            raise SaleNotSaved(str(exc) or type(exc).__name__) from exc
        log.info("sale %s completed: %s cents", sale.receipt_number, sale.total_cents)
        self._cart.clear()
        self._order = None
        self._exchange = None
        self._customer = None
        self._invoice = None
        return SaleCompleted(
            sale, event_id, order.number if order is not None else None, pickup_status, exchange
        )

    def _commit_sale(
        self,
        sale_id: str,
        series: str,
        now: datetime,
        totals: CartTotals,
        payment: PaymentSummary,
        exchange_refund: RefundRequest | None = None,
    ) -> tuple[SaleRecord, str, str | None, ReturnCompleted | None]:
        ident = self.identity
        order = self._order
        if order is not None and not any(line.line_id in order.lines for line in self._cart.lines):
            order = None  # every line of the order was taken out: a sale like any other
        order_lines = order.lines if order is not None else {}
        pickup_status: str | None = None
        with self._uow_factory() as uow:
            till_id = self.till.require_open(uow, "sale") if self.till is not None else None
            number = uow.series.next_number(series)
            receipt_number = format_receipt_number(
                ident.store_code, ident.register_code, now.year, number
            )
            exchange, tenders = self._record_exchange(uow, receipt_number, now, exchange_refund)
            sale = build_sale_record(
                sale_id=sale_id,
                receipt_number=receipt_number,
                store_code=ident.store_code,
                register_code=ident.register_code,
                cashier=self.cashier,
                completed_at=now,
                totals=totals,
                payment=payment,
                tenders=tenders,
                currency=ident.currency,
            )
            uow.sales.add(sale, receipt_year=now.year, receipt_seq=number)
            if till_id is not None:
                uow.tills.tag("sale", sale.sale_id, till_id)
            self._spend_vouchers(uow)
            collected: dict[int, Decimal] = {}
            for cart_line, line in zip(self._cart.lines, sale.lines, strict=True):
                if cart_line.line_id in order_lines:
                    # A pickup order's line: the backend moves its stock at the hand-over
                    # (its reservation becomes the sale movement); no second movement here.
                    order_line = order_lines[cart_line.line_id]
                    collected[order_line] = collected.get(order_line, Decimal(0)) + line.quantity
                    continue
                uow.stock.add_movement(
                    line.product_id, -line.quantity, reason="sale", reference=sale.sale_id, at=now
                )
            payload = sale_to_payload(sale)
            if order is not None:
                payload["order_id"] = order.order_id
            customer_id = self._customer_of_sale(uow, sale.sale_id, now)
            if customer_id is not None:
                payload["customer_id"] = customer_id
            if till_id is not None:
                payload["till_id"] = till_id
            event_id = uow.outbox.add(SALE_COMPLETED, payload, occurred_at=now)
            invoice = self._invoice
            append_record(
                uow,
                ident,
                invoice_type="F2" if invoice is None else "F1",
                series_number=sale.receipt_number,
                tax_cents=sale.tax_cents,
                total_cents=sale.total_cents,
                source_kind="sale",
                source_id=sale.sale_id,
                at=now,
                recipient_tax_id=invoice.tax_id if invoice is not None else "",
                recipient_name=invoice.name if invoice is not None else "",
                recipient_address=invoice.address if invoice is not None else (),
            )
            if order is not None:
                status, _pickup_event = record_counter_hand_over(
                    uow,
                    order.order_id,
                    collected,
                    sale_id=sale.sale_id,
                    identity=ident,
                    cashier=self.cashier,
                    at=now,
                )
                pickup_status = status.value
            failpoint("sale.before_commit")
            uow.commit()
        failpoint("sale.after_commit")
        return sale, event_id, pickup_status, exchange

    def _record_exchange(
        self,
        uow: UnitOfWork,
        receipt_number: str,
        now: datetime,
        refund: RefundRequest | None,
    ) -> tuple[ReturnCompleted | None, tuple[Tender, ...]]:
        """Inside the sale's transaction, before the sale: the exchange's return (its event
        first in the outbox), and the sale's tenders with the credit naming the return."""
        credit = self._exchange
        tenders = self._cart.tenders
        if credit is None:
            return None, tenders
        assert self.returns is not None
        done = self.returns.record_exchange_return(
            uow,
            credit,
            sale_number=receipt_number,
            applied_cents=self._cart.exchange_applied,
            refund=refund,
            now=now,
        )
        number = done.record.return_number
        return done, tuple(
            replace(t, reference=number) if t.kind is TenderKind.EXCHANGE else t for t in tenders
        )

    def _customer_of_sale(self, uow: UnitOfWork, sale_id: str, now: datetime) -> str | None:
        """Inside the sale's transaction: the attached customer, used now, linked to the sale;
        None when there is none, or they were erased since they were attached."""
        attached = self._customer
        if attached is None:
            return None
        if not uow.customers.touch(attached.customer_id, now) and not attached.from_order:
            log.info("customer %s erased meanwhile: sale without customer", attached.customer_id)
            return None
        uow.customers.attach_sale(sale_id, attached.customer_id)
        return attached.customer_id

    def _spend_vouchers(self, uow: UnitOfWork) -> None:
        """Inside the sale's transaction: each voucher's known balance goes down."""
        spent: dict[str, int] = {}
        for tender in self._cart.tenders:
            if tender.kind is TenderKind.VOUCHER:
                code = normalize_code(tender.reference)
                spent[code] = spent.get(code, 0) + tender.amount.cents
        for code, cents in spent.items():
            known = uow.vouchers.get(code)
            if known is None:  # checked before, so known: only if the database changed
                raise VoucherBalanceExceeded(code, 0)
            if cents > known.balance_cents:
                raise VoucherBalanceExceeded(code, max(known.balance_cents, 0))
            uow.vouchers.spend(code, cents)

    @property
    def cart_started(self) -> bool:
        return not self._cart.is_empty()

    def now(self) -> datetime:
        return self._clock.now()
