"""Returns without a receipt (issue 7): goods brought back with no receipt and no gift receipt.

The return policy decides whether they are taken at all (``receipt_required``: never). When
they are, each unit is refunded at the lowest recent price (``lowest_recent_price``): the
lower of the catalog price now and what one unit was paid (after its line's discounts) in this
register's sales of the last ``no_receipt_price_days`` days, and only as store credit (a
voucher). A manager approves it when the ``staff_limits`` say so
(``refund_without_receipt_needs_manager``, ``Action.REFUND_WITHOUT_RECEIPT``); otherwise the
refund limit applies as for any return. The return is one transaction, written by
``ReturnsService.record_return`` like any other: its number in the returns' series, the stock
of what goes back on the shelf, the voucher, the ``return.completed`` event (``original_kind``
``none``, no reference, ``approved_by`` the manager) and the audit of an approval used.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from pos_app.domain.cart import Measure
from pos_app.domain.errors import PosError, UnknownProduct
from pos_app.domain.ids import new_id
from pos_app.domain.permissions import Action, Approval
from pos_app.domain.returns import (
    NO_RECEIPT,
    ReturnLineRecord,
    lowest_recent_price,
    units_refund,
)
from pos_app.domain.tax import rate_on
from pos_app.services.errors import (
    NothingToReturn,
    ReceiptRequired,
    ReturnNotAllowed,
    ReturnNotSaved,
    ReturnQuantityInvalid,
    TaxRateMissing,
)
from pos_app.services.ports import ProductRecord
from pos_app.services.returns import (
    ReturnCompleted,
    ReturnOriginal,
    ReturnsService,
    return_line_record,
)
from pos_app.services.vouchers import VOUCHER_KIND
from sync.protocol import Disposition, ReturnPolicy

log = logging.getLogger(__name__)

_MAX_QUANTITY = Decimal(999)


@dataclass(frozen=True, slots=True)
class NoReceiptItem:
    """A product brought back without a receipt, and what one unit of it refunds."""

    product_id: str
    sku: str
    name: str
    measure: str  # unit | weight
    category: str
    tax_class: str
    tax_rate: Decimal
    unit_refund_cents: int  # the lowest recent price
    catalog_price_cents: int  # the price now, for the cashier to compare

    def refund_for(self, quantity: Decimal) -> int:
        return units_refund(self.unit_refund_cents, quantity)


@dataclass(frozen=True, slots=True)
class NoReceiptLine:
    item: NoReceiptItem
    quantity: Decimal
    reason: str
    disposition: Disposition = Disposition.SELLABLE


class NoReceiptReturns:
    """Returns without a receipt at one register, through its ``ReturnsService``."""

    def __init__(self, returns: ReturnsService) -> None:
        self._returns = returns

    @property
    def returns(self) -> ReturnsService:
        return self._returns

    def allowed(self) -> bool:
        """Whether the return policy takes anything back without a receipt."""
        return not self._returns.return_policy().receipt_required

    def check_allowed(self) -> None:
        """Raises ``ReceiptRequired`` when the policy takes nothing back without receipt."""
        if not self.allowed():
            raise ReceiptRequired()

    # --- finding what is brought back ------------------------------------------------------
    def policy(self) -> ReturnPolicy:
        return self._returns.return_policy()

    def search(self, text: str, limit: int = 50) -> list[ProductRecord]:
        """The catalog's products matching ``text`` (name or SKU), for the product search."""
        with self._returns.uow_factory.reader() as uow:
            return uow.catalog.search(text, limit)

    def item_for_code(self, code: str) -> NoReceiptItem:
        """The product of a barcode scanned or a SKU typed. Raises ``UnknownProduct``."""
        raw = code.strip()
        service = self._returns
        with service.uow_factory.reader() as uow:
            product = uow.catalog.find_by_barcode(raw) or uow.catalog.find_by_sku(raw)
        if product is None:
            raise UnknownProduct(raw)
        return self.item_for(product)

    def item_for_product(self, product_id: str) -> NoReceiptItem:
        """A product chosen in the search. Raises ``UnknownProduct``."""
        with self._returns.uow_factory.reader() as uow:
            product = uow.catalog.get(product_id)
        if product is None:
            raise UnknownProduct(product_id)
        return self.item_for(product)

    def item_for(self, product: ProductRecord) -> NoReceiptItem:
        """``product`` at its lowest recent price. Raises ``TaxRateMissing``."""
        service = self._returns
        clock = service.clock
        policy = service.return_policy()
        since = clock.now() - timedelta(days=policy.no_receipt_price_days)
        with service.uow_factory.reader() as uow:
            sold = uow.sales.unit_prices_since(product.product_id, since)
            rates = uow.catalog.tax_rates()
        try:
            rate = rate_on(rates, product.tax_class, clock.today())
        except LookupError as exc:
            raise TaxRateMissing(product.tax_class) from exc
        return NoReceiptItem(
            product_id=product.product_id,
            sku=product.sku,
            name=product.name,
            measure="weight" if product.measure is Measure.WEIGHT else "unit",
            category=product.category,
            tax_class=product.tax_class,
            tax_rate=rate.rate,
            unit_refund_cents=lowest_recent_price(product.price.cents, sold),
            catalog_price_cents=product.price.cents,
        )

    # --- the return ------------------------------------------------------------------------
    def refund_total(self, lines: list[NoReceiptLine]) -> int:
        return sum(line.item.refund_for(line.quantity) for line in lines)

    def complete_return(
        self, lines: list[NoReceiptLine], approval: Approval | None = None
    ) -> ReturnCompleted:
        """Commit the return without a receipt, refunded as a voucher, in one transaction.

        Raises ``ReceiptRequired``, ``ReturnNotAllowed`` (a category never taken back),
        ``ReturnQuantityInvalid``, ``ReturnReasonRequired``, ``NothingToReturn``,
        ``ManagerApprovalRequired`` / ``ApprovalInvalid``: nothing written.
        ``ReturnNotSaved`` when storage failed."""
        service = self._returns
        policy = service.return_policy()
        if policy.receipt_required:
            raise ReceiptRequired()
        records = self._records(lines, policy.non_returnable_categories)
        total = sum(r.refund_cents for r in records)
        detail = f"refund of {total} cents ({VOUCHER_KIND}) without a receipt"
        used: Approval | None = None
        staff = service.staff
        if staff is not None:
            if staff.limits().refund_without_receipt_needs_manager:
                used = staff.authorize(
                    Action.REFUND_WITHOUT_RECEIPT, detail=detail, approval=approval, cents=total
                )
            else:
                used = staff.authorize(Action.REFUND, detail=detail, approval=approval, cents=total)
        now = service.clock.now()
        identity = service.identity
        original = ReturnOriginal(
            kind=NO_RECEIPT,
            reference="",
            original_id="",
            store_code=identity.store_code,
            sold_at=now,
            currency=identity.currency,
            lines=(),
            tenders=(),
            checked=False,
            own=False,
        )
        try:
            with service.uow_factory() as uow:
                done = service.record_return(
                    uow,
                    original,
                    records,
                    [(VOUCHER_KIND, total, "")],
                    now=now,
                    return_id=new_id(),
                    used=used,
                    detail=detail,
                )
                uow.commit()
        except PosError:
            raise
        except Exception as exc:
            log.exception("return without a receipt not saved")
            raise ReturnNotSaved(str(exc) or type(exc).__name__) from exc
        log.info(
            "return %s without a receipt: %s cents as a voucher",
            done.record.return_number,
            done.record.total_cents,
        )
        return done

    @staticmethod
    def _records(lines: list[NoReceiptLine], blocked: list[str]) -> list[ReturnLineRecord]:
        records: list[ReturnLineRecord] = []
        for line in lines:
            item, quantity = line.item, line.quantity
            if item.category and item.category in blocked:
                raise ReturnNotAllowed(item.name, ReturnNotAllowed.CATEGORY, category=item.category)
            whole = quantity == quantity.to_integral_value()
            if quantity < 0 or quantity > _MAX_QUANTITY or (item.measure != "weight" and not whole):
                raise ReturnQuantityInvalid(item.name, str(_MAX_QUANTITY))
            if quantity == 0:
                continue
            records.append(
                return_line_record(
                    item,
                    quantity,
                    line.reason,
                    line.disposition,
                    line_no=len(records) + 1,
                    original_line_no=None,
                )
            )
        if not records:
            raise NothingToReturn("")
        return records
