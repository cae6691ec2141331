"""Store credit on a real SQLite file: a refund as a voucher (code, payload, receipt), and
vouchers spent at checkout, online through the backend's look-up (faked here) or offline up to
the balance this register last knew."""

from __future__ import annotations

import json
import re
from datetime import datetime
from decimal import Decimal

import pytest
from sqlalchemy import text
from support import COFFEE, IDENTITY, MILK, SOAP

from hardware.escpos_decoder import Barcode, decode
from hardware.printers import MemoryReceiptPrinter, receipt_to_bytes
from pos_app.domain.cart import TenderKind
from pos_app.domain.errors import Overpayment
from pos_app.domain.money import Money
from pos_app.services.checkout import CheckoutService
from pos_app.services.errors import (
    VoucherBalanceExceeded,
    VoucherInactive,
    VoucherNotFound,
    VoucherOffline,
)
from pos_app.services.receipts import build_receipt
from pos_app.services.returns import RefundRequest, ReturnLineRequest, ReturnsService
from sync.errors import SyncError, SyncErrorKind
from sync.protocol import ReturnCompletedPayload, SaleCompletedPayload, VoucherView

CODE = re.compile(r"^VT01C01[0-9A-HJKMNP-TV-Z]{8}$")


class FakeVoucherLookup:
    """The backend's ``GET /v1/vouchers/{code}``: canned views, or offline."""

    def __init__(self, *views: VoucherView, online: bool = True) -> None:
        self.views = {v.code: v for v in views}
        self.online = online
        self.asked: list[str] = []

    def voucher(self, code: str) -> VoucherView:
        self.asked.append(code)
        if not self.online:
            raise SyncError(SyncErrorKind.NETWORK, "cannot reach the backend (refused)")
        if code not in self.views:
            raise SyncError(SyncErrorKind.REJECTED, "no such voucher", code="not_found")
        return self.views[code]


def view(code: str, balance: int, issued: int = 5000, active: bool = True) -> VoucherView:
    return VoucherView(
        code=code,
        balance_cents=balance,
        issued_cents=issued,
        issued_at=datetime.fromisoformat("2026-11-01T10:00:00+01:00"),
        store_code="T02",
        active=active,
    )


@pytest.fixture
def printer() -> MemoryReceiptPrinter:
    return MemoryReceiptPrinter()


@pytest.fixture
def lookup() -> FakeVoucherLookup:
    return FakeVoucherLookup(online=False)


@pytest.fixture
def checkout(uow_factory, clock, lookup) -> CheckoutService:
    return CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana", voucher_lookup=lookup)


def rows(engine, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def outbox(engine, event_type: str) -> list[dict]:  # type: ignore[type-arg]
    return [
        json.loads(p)
        for (p,) in rows(
            engine, f"SELECT payload FROM outbox WHERE event_type = '{event_type}' ORDER BY seq"
        )
    ]


def known_balance(engine, code: str) -> int:  # type: ignore[no-untyped-def]
    [(cents,)] = rows(engine, f"SELECT balance_cents FROM vouchers WHERE code = '{code}'")
    return int(cents)


def issue_voucher(checkout, uow_factory, clock, printer) -> str:  # type: ignore[no-untyped-def]
    """Sell a soap (12,10 €) by card and return it as store credit: the voucher's code."""
    checkout.scan(SOAP)
    checkout.add_card(Money(1210), "AUT-1")
    number = checkout.complete_sale().sale.receipt_number
    returns = ReturnsService(uow_factory, clock, IDENTITY, cashier="Ana", printer=printer)
    original = returns.find_original(number)
    done = returns.complete_return(
        original, [ReturnLineRequest(1, Decimal(1), "Regalo repetido")], RefundRequest("voucher")
    )
    returns.print_receipt(done.record.return_id)
    [refund] = done.record.refunds
    return refund.reference


def test_a_refund_as_store_credit_makes_a_voucher_printed_as_a_barcode(
    checkout, uow_factory, clock, printer, engine
):
    code = issue_voucher(checkout, uow_factory, clock, printer)

    # The register made the code: typable, scannable, with its store and register.
    assert CODE.match(code), code
    # Store credit although the sale was paid by card; the event names the voucher.
    [payload] = outbox(engine, "return.completed")
    event = ReturnCompletedPayload.model_validate(payload)
    [refund] = event.refunds
    assert (refund.kind, refund.amount_cents, refund.reference) == ("voucher", 1210, code)
    # Known here at once, for spending offline.
    assert rows(engine, "SELECT code, issued_cents, balance_cents, source FROM vouchers") == [
        (code, 1210, 1210, "issued")
    ]
    # The receipt: the voucher's code as its CODE128 barcode, its amount and what it is.
    receipt = decode(printer.receipts[-1])
    [barcode] = receipt.events_of(Barcode)
    assert barcode.symbology == "CODE128"
    assert barcode.text == code
    assert "Vale de compra" in receipt.text
    assert f"VALE DE COMPRA {code}: 12,10 €" in receipt.text.replace("\n", " ")


def test_two_vouchers_never_share_a_code(checkout, uow_factory, clock, printer):
    first = issue_voucher(checkout, uow_factory, clock, printer)
    second = issue_voucher(checkout, uow_factory, clock, printer)
    assert first != second
    assert 12 <= len(first) <= 16


def test_a_voucher_issued_here_pays_offline_partly_then_the_rest(
    checkout, uow_factory, clock, printer, engine, lookup
):
    code = issue_voucher(checkout, uow_factory, clock, printer)
    assert not lookup.online

    checkout.scan(COFFEE)  # 3,49 €
    cart = checkout.add_voucher(code.lower())  # typed in lower case: as much as is due
    assert [(t.kind, t.amount.cents, t.reference) for t in cart.tenders] == [
        (TenderKind.VOUCHER, 349, code)
    ]
    sale = checkout.complete_sale().sale
    assert known_balance(engine, code) == 1210 - 349
    [payload] = outbox(engine, "sale.completed")[-1:]
    [payment] = SaleCompletedPayload.model_validate(payload).payments
    assert (payment.kind, payment.amount_cents, payment.reference) == ("voucher", 349, code)
    receipt = decode(receipt_to_bytes(build_receipt(sale, IDENTITY), width=48)).text
    assert f"Vale {code}" in receipt

    # The rest of it, on a bigger sale: 8,61 € from the voucher, the rest in cash.
    for _ in range(4):
        checkout.scan(COFFEE)  # 13,96 €
    assert checkout.check_voucher(code).balance_cents == 861
    checkout.add_voucher(code)
    assert checkout.view().payment.due.cents == 1396 - 861
    checkout.add_cash(Money(1000))
    done = checkout.complete_sale().sale
    assert done.change_cents == 1000 - (1396 - 861)
    assert known_balance(engine, code) == 0
    kinds = [p["kind"] for p in outbox(engine, "sale.completed")[-1]["payments"]]
    assert kinds == ["voucher", "cash"]

    checkout.scan(MILK)
    with pytest.raises(VoucherBalanceExceeded):
        checkout.add_voucher(code)


def test_more_than_the_balance_is_refused_and_the_cart_is_unchanged(
    checkout, uow_factory, clock, printer
):
    code = issue_voucher(checkout, uow_factory, clock, printer)
    for _ in range(5):
        checkout.scan(COFFEE)  # 17,45 €
    with pytest.raises(VoucherBalanceExceeded) as info:
        checkout.add_voucher(code, Money(1211))
    assert info.value.balance_cents == 1210
    assert checkout.view().tenders == ()
    # Two tenders of one voucher in one sale count together.
    checkout.add_voucher(code, Money(1000))
    with pytest.raises(VoucherBalanceExceeded):
        checkout.add_voucher(code, Money(211))


def test_a_voucher_never_gives_change(checkout, uow_factory, clock, printer):
    code = issue_voucher(checkout, uow_factory, clock, printer)
    checkout.scan(MILK)  # 0,99 €
    with pytest.raises(Overpayment):
        checkout.add_voucher(code, Money(1210))
    cart = checkout.add_voucher(code)  # defaults to what is due
    assert (cart.payment.paid.cents, cart.payment.change.cents) == (99, 0)


def test_an_unknown_voucher_cannot_be_checked_offline(checkout):
    checkout.scan(MILK)
    with pytest.raises(VoucherOffline):
        checkout.add_voucher("VT02C0112345678")
    assert checkout.view().tenders == ()


def test_online_the_backends_balance_is_used_and_kept_for_offline(checkout, lookup, engine, clock):
    lookup.online = True
    lookup.views["VT02C03ABCDEFGH"] = view("VT02C03ABCDEFGH", 700)
    lookup.views["VT02C03CANCELED"] = view("VT02C03CANCELED", 700, active=False)
    checkout.scan(SOAP)  # 12,10 €
    with pytest.raises(VoucherNotFound):
        checkout.check_voucher("VT02C03NOSUCH00")
    with pytest.raises(VoucherInactive):
        checkout.check_voucher("VT02C03CANCELED")
    # Paying never asks the backend (the database worker must not wait on the network): a
    # voucher is checked first, and paid with on the balance that check kept.
    with pytest.raises(VoucherOffline):
        checkout.add_voucher("VT02C03ABCDEFGH")
    found = checkout.check_voucher("VT02C03ABCDEFGH")
    assert (found.balance_cents, found.checked) == (700, True)
    with pytest.raises(VoucherBalanceExceeded):
        checkout.add_voucher("VT02C03ABCDEFGH", Money(701))
    checkout.add_voucher("VT02C03ABCDEFGH")  # 7,00 €: all of it
    checkout.add_cash(Money(510))
    checkout.complete_sale()
    assert rows(engine, "SELECT balance_cents, source FROM vouchers") == [(0, "lookup")]
    # Online again before the sale is pushed: the backend still says 7,00 €, but this
    # register's unsent spending is taken off.
    assert checkout.check_voucher("VT02C03ABCDEFGH").balance_cents == 0

    # Later, offline: the balance this register last knew (none left).
    lookup.online = False
    lookup.views["VT02C03ABCDEFGH"] = view("VT02C03ABCDEFGH", 0)
    checkout.scan(MILK)
    found = checkout.check_voucher("VT02C03ABCDEFGH")
    assert (found.balance_cents, found.checked) == (0, False)
    with pytest.raises(VoucherBalanceExceeded):
        checkout.add_voucher("VT02C03ABCDEFGH")


def test_a_voucher_issued_here_is_spendable_before_the_backend_knows_it(
    checkout, uow_factory, clock, printer, lookup
):
    code = issue_voucher(checkout, uow_factory, clock, printer)
    lookup.online = True  # the return has not been pushed: the backend says not_found
    checkout.scan(COFFEE)
    found = checkout.check_voucher(code)
    assert (found.balance_cents, found.checked) == (1210, False)
    checkout.add_voucher(code)
    assert checkout.view().payment.is_settled


def test_voucher_and_cash_together(checkout, uow_factory, clock, printer, engine):
    code = issue_voucher(checkout, uow_factory, clock, printer)
    for _ in range(2):
        checkout.scan(SOAP)  # 24,20 €
    checkout.add_voucher(code, Money(500))
    checkout.add_cash(Money(2000))
    sale = checkout.complete_sale().sale
    assert sale.change_cents == 2000 - (2420 - 500)
    payments = outbox(engine, "sale.completed")[-1]["payments"]
    assert [(p["kind"], p["amount_cents"], p["reference"]) for p in payments] == [
        ("voucher", 500, code),
        ("cash", 1920, ""),
    ]
    assert known_balance(engine, code) == 710
