"""The checkout screen's presenter: intents in, service calls through the runner, signals out.

It owns no state of its own beyond the last ``CartView``: the cart lives in the service, on the
database worker, so every change goes through one queue in the order the cashier made it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QObject, Signal

from pos_app.domain.cart import Discount
from pos_app.domain.money import Money
from pos_app.domain.permissions import Approval
from pos_app.services.checkout import CartView, CheckoutService, SaleCompleted
from pos_app.services.errors import ManagerApprovalRequired, WeightRequired
from pos_app.services.pickups import PickupCollection
from pos_app.services.ports import ParkedSale
from pos_app.services.receipts import ReceiptPrinted, ReceiptService
from pos_app.services.returns import ExchangeCredit, RefundRequest
from pos_app.services.vouchers import VoucherCheck
from pos_app.ui.printing import print_gift_receipt, print_receipt, print_return_receipt
from pos_app.ui.task_runner import Runner

log = logging.getLogger(__name__)


class CheckoutPresenter(QObject):
    cart_changed = Signal(object)  # CartView
    scan_rejected = Signal(object)  # the PosError: a bad or unknown code
    action_failed = Signal(object)  # any other expected or unexpected error
    sale_completed = Signal(object)  # SaleCompleted
    receipt_printed = Signal(object)  # ReceiptPrinted
    sale_parked = Signal(str)
    parked_sales_loaded = Signal(list)  # list[ParkedSale]
    sale_abandoned = Signal()
    busy_changed = Signal(bool)
    weight_required = Signal(object)  # WeightRequired: weigh the product, then add_product
    order_sale_started = Signal(object)  # CartView: a pickup order's lines, ready to pay
    voucher_checked = Signal(object)  # VoucherBalance: what a voucher has left for this sale
    exchange_started = Signal(object)  # CartView: a return's credit now pays the sale
    # (ManagerApprovalRequired, retry: Callable[[Approval], None]): beyond the signed-in
    # person's limits; nothing changed. Retry with a manager's approval, or drop it.
    approval_required = Signal(object, object)

    def __init__(
        self,
        runner: Runner,
        checkout: CheckoutService,
        receipts: ReceiptService,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self.checkout = checkout
        self.receipts = receipts
        self.view: CartView = checkout.view()
        self.last_sale: SaleCompleted | None = None
        self.last_print: ReceiptPrinted | None = None

    # --- plumbing ------------------------------------------------------------------------
    def _update(self, view: CartView) -> None:
        self.view = view
        self.cart_changed.emit(view)

    def _change(self, fn: Callable[[], CartView]) -> None:
        self._runner.run_db(fn, self._update, self.action_failed.emit)

    def _approvable(
        self,
        fn: Callable[[Approval | None], Any],
        done: Callable[[Any], None],
        approval: Approval | None = None,
    ) -> None:
        """Run ``fn`` on the database worker; a ``ManagerApprovalRequired`` becomes
        ``approval_required`` with a retry that runs ``fn`` again with the approval."""

        def failed(exc: BaseException) -> None:
            if isinstance(exc, ManagerApprovalRequired):
                self.approval_required.emit(
                    exc, lambda granted: self._approvable(fn, done, granted)
                )
            else:
                self.action_failed.emit(exc)

        self._runner.run_db(lambda: fn(approval), done, failed)

    # --- intents -------------------------------------------------------------------------
    def scan(self, code: str) -> None:
        if not code.strip():
            return
        self._runner.run_db(
            lambda: self.checkout.scan(code), self._update, self._weigh_or(self.scan_rejected)
        )

    def add_product(self, product_id: str, quantity: Decimal | None = None) -> None:
        """Add a product; without a quantity, one unit (a weighed product asks for its
        weight through ``weight_required``)."""
        self._runner.run_db(
            lambda: self.checkout.add_product(product_id, quantity),
            self._update,
            self._weigh_or(self.action_failed),
        )

    def _weigh_or(self, signal: Any) -> Callable[[BaseException], None]:
        def failed(exc: BaseException) -> None:
            if isinstance(exc, WeightRequired):
                self.weight_required.emit(exc)
            else:
                signal.emit(exc)

        return failed

    def set_quantity(self, line_id: str, quantity: Decimal) -> None:
        self._change(lambda: self.checkout.set_quantity(line_id, quantity))

    def remove_line(self, line_id: str) -> None:
        self._change(lambda: self.checkout.remove_line(line_id))

    def set_line_discount(self, line_id: str, discount: Discount | None) -> None:
        self._approvable(
            lambda approval: self.checkout.set_line_discount(line_id, discount, approval),
            self._update,
        )

    def set_basket_discount(self, discount: Discount | None) -> None:
        self._approvable(
            lambda approval: self.checkout.set_basket_discount(discount, approval), self._update
        )

    def start_order_sale(self, collection: PickupCollection) -> None:
        """A pickup order to pay at the counter: its lines into the cart, then payment."""

        def done(view: CartView) -> None:
            self._update(view)
            self.order_sale_started.emit(view)

        self._runner.run_db(
            lambda: self.checkout.start_order_sale(collection), done, self.action_failed.emit
        )

    def start_exchange(self, credit: ExchangeCredit) -> None:
        """A return checked in the returns dialog: its credit pays the sale about to be rung up
        (both commit together when the sale completes)."""

        def done(view: CartView) -> None:
            self._update(view)
            self.exchange_started.emit(view)

        self._runner.run_db(
            lambda: self.checkout.start_exchange(credit), done, self.action_failed.emit
        )

    def cancel_exchange(self) -> None:
        self._change(self.checkout.cancel_exchange)

    def attach_customer(self, customer_id: str) -> None:
        self._change(lambda: self.checkout.attach_customer(customer_id))

    def detach_customer(self) -> None:
        self._change(self.checkout.detach_customer)

    def request_invoice(self, tax_id: str, name: str, address: list[str]) -> None:
        """The sale becomes a full invoice (F1) to this recipient; a tax id, name or address
        refused fails (``InvoiceRecipientInvalid``) and changes nothing."""

        def request() -> CartView:
            self.checkout.request_invoice(tax_id, name, address)
            return self.checkout.view()

        self._change(request)

    def cancel_invoice(self) -> None:
        def cancel() -> CartView:
            self.checkout.cancel_invoice()
            return self.checkout.view()

        self._change(cancel)

    def refresh_customer(self) -> None:
        """After a pull: the sale's customer renamed, or erased (then taken off the sale)."""

        def done(view: CartView | None) -> None:
            if view is not None:
                self._update(view)

        self._runner.run_db(self.checkout.refresh_customer, done, self.action_failed.emit)

    def park(self, label: str = "") -> None:
        def done(result: Any) -> None:
            self._update(result.view)
            self.sale_parked.emit(result.parked_id)

        self._runner.run_db(lambda: self.checkout.park(label), done, self.action_failed.emit)

    def load_parked_sales(self) -> None:
        self._runner.run_db(
            self.checkout.parked_sales, self.parked_sales_loaded.emit, self.action_failed.emit
        )

    def resume(self, parked_id: str) -> None:
        self._change(lambda: self.checkout.resume(parked_id))

    def abandon(self, reason: str = "") -> None:
        def done(view: CartView) -> None:
            self._update(view)
            self.sale_abandoned.emit()

        self._approvable(lambda approval: self.checkout.abandon(reason, approval), done)

    def add_cash(self, tendered: Money) -> None:
        self._change(lambda: self.checkout.add_cash(tendered))

    def add_card(self, amount: Money, reference: str) -> None:
        self._change(lambda: self.checkout.add_card(amount, reference))

    def check_voucher(self, code: str) -> None:
        """The balance of a voucher: asked of the backend on the I/O pool, kept on the database
        worker (its single writer)."""

        def fetched(check: VoucherCheck) -> None:
            self._runner.run_db(
                lambda: self.checkout.learn_voucher(check),
                self.voucher_checked.emit,
                self.action_failed.emit,
            )

        self._runner.run_io(
            lambda: self.checkout.fetch_voucher(code), fetched, self.action_failed.emit
        )

    def add_voucher(self, code: str, amount: Money | None = None) -> None:
        """Check the voucher (backend on the I/O pool, then the database worker), then pay with
        it on the balance just learnt."""

        def fetched(check: VoucherCheck) -> None:
            def learn_and_add() -> CartView:
                self.checkout.learn_voucher(check)
                return self.checkout.add_voucher(code, amount)

            self._change(learn_and_add)

        self._runner.run_io(
            lambda: self.checkout.fetch_voucher(code), fetched, self.action_failed.emit
        )

    def remove_tender(self, tender_id: str) -> None:
        self._change(lambda: self.checkout.remove_tender(tender_id))

    def clear_tenders(self) -> None:
        self._change(self.checkout.clear_tenders)

    def complete_sale(self, exchange_refund: RefundRequest | None = None) -> None:
        """Commit the sale (database worker), then print its receipt (I/O pool); an exchange's
        return receipt prints after it. ``exchange_refund``: how an exchange credit beyond
        the sale goes back."""
        self.busy_changed.emit(True)

        def commit() -> tuple[SaleCompleted, CartView]:
            done = self.checkout.complete_sale(exchange_refund)
            return done, self.checkout.view()

        def committed(result: tuple[SaleCompleted, CartView]) -> None:
            done, view = result
            self.last_sale = done
            self.busy_changed.emit(False)
            self._update(view)
            self.sale_completed.emit(done)
            on_done = self._printed
            returns, exchange = self.checkout.returns, done.exchange
            if returns is not None and exchange is not None:

                def on_done(result: ReceiptPrinted) -> None:
                    self._printed(result)
                    print_return_receipt(
                        self._runner,
                        returns,
                        exchange.record.return_id,
                        on_done=self._printed,
                        on_error=self.action_failed.emit,
                    )

            print_receipt(
                self._runner,
                self.receipts,
                done.sale.sale_id,
                reprint=False,
                on_done=on_done,
                on_error=self.action_failed.emit,
            )

        def failed(exc: BaseException) -> None:
            self.busy_changed.emit(False)
            self.action_failed.emit(exc)

        self._runner.run_db(commit, committed, failed)

    def _printed(self, result: ReceiptPrinted) -> None:
        self.last_print = result
        self.receipt_printed.emit(result)

    def reprint_last(self) -> None:
        if self.last_sale is None:
            return
        sale_id = self.last_sale.sale.sale_id
        print_receipt(
            self._runner,
            self.receipts,
            sale_id,
            reprint=True,
            on_done=self._printed,
            on_error=self.action_failed.emit,
        )

    def print_gift_last(self) -> None:
        """The last sale's gift receipt (ticket regalo: no prices), Ctrl+F10."""
        if self.last_sale is None:
            return
        print_gift_receipt(
            self._runner,
            self.receipts,
            self.last_sale.sale.sale_id,
            on_done=self._printed,
            on_error=self.action_failed.emit,
        )


__all__ = ["CheckoutPresenter", "ParkedSale"]
