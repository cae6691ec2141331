"""Annulling a sale from "Ventas de hoy", driven as a cashier drives it on the real TaskRunner
and database: "Anular ticket…", a reason, the manager's PIN, the cancellation receipt shown and
printed; a sale that cannot be annulled is refused with its reason before anybody types a PIN."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from support import (
    COFFEE,
    IDENTITY,
    MILK,
    limits_change,
    pull_changes,
    save_screenshot,
    staff_change,
)

from hardware.printers import MemoryReceiptPrinter
from pos_app.domain.money import Money
from pos_app.domain.till import CashCount
from pos_app.services.cancellations import CancellationService
from pos_app.services.checkout import CheckoutService
from pos_app.services.receipts import ReceiptService
from pos_app.services.returns import ReturnsService
from pos_app.services.staff import StaffService
from pos_app.services.till import TillService
from pos_app.storage.backup import SqliteBackup
from pos_app.ui.app import style_sheet
from pos_app.ui.cancel_sale_dialog import CancelSaleDialog
from pos_app.ui.formatting import Formatter
from pos_app.ui.override_dialog import OverrideDialog
from pos_app.ui.sales_history_dialog import SalesHistoryDialog
from pos_app.ui.task_runner import TaskRunner
from sync.pins import hash_pin

pytestmark = pytest.mark.qt_log_level_fail("WARNING")

ANA_PIN, LUIS_PIN = "1111", "9999"
HASHES = {pin: hash_pin(pin) for pin in (ANA_PIN, LUIS_PIN)}


class Shop:
    def __init__(self, uow_factory: Any, clock: Any, db_path: Path, tmp_path: Path) -> None:
        pull_changes(
            uow_factory,
            clock,
            staff_change("s-ana", "Ana Cajera", "cashier", HASHES[ANA_PIN]),
            staff_change("s-luis", "Luis Encargado", "manager", HASHES[LUIS_PIN]),
            limits_change(),
        )
        self.staff = StaffService(uow_factory, clock, IDENTITY)
        self.staff.sign_in("s-ana", ANA_PIN)
        backup = SqliteBackup(db_path, tmp_path / "backups", keep=2)
        self.till = TillService(uow_factory, clock, IDENTITY, staff=self.staff, backup=backup)
        self.printer = MemoryReceiptPrinter()
        returns = ReturnsService(
            uow_factory, clock, IDENTITY, cashier="Ana", printer=self.printer, till=self.till
        )
        self.checkout = CheckoutService(
            uow_factory,
            clock,
            IDENTITY,
            cashier="Ana",
            till=self.till,
            returns=returns,
            staff=self.staff,
        )
        self.receipts = ReceiptService(uow_factory, clock, IDENTITY, self.printer)
        self.returns = returns
        self.cancellations = CancellationService(
            uow_factory, clock, IDENTITY, till=self.till, staff=self.staff, printer=self.printer
        )

    def sell(self, *codes: str, card: bool = False) -> str:
        for code in codes:
            self.checkout.scan(code)
        due = self.checkout.view().payment.due
        if card:
            self.checkout.add_card(due, "AUT-5")
        else:
            self.checkout.add_cash(Money(due.cents))
        return self.checkout.complete_sale().sale.receipt_number


@pytest.fixture
def shop(uow_factory, clock, db_path, tmp_path) -> Shop:  # type: ignore[no-untyped-def]
    return Shop(uow_factory, clock, db_path, tmp_path)


@pytest.fixture
def runner(qtbot: QtBot, engine: object) -> Iterator[TaskRunner]:
    task_runner = TaskRunner()
    yield task_runner
    qtbot.waitUntil(lambda: task_runner.idle, timeout=5000)
    task_runner.shutdown()


@pytest.fixture
def history(qtbot: QtBot, qapp: Any, runner: TaskRunner, shop: Shop) -> SalesHistoryDialog:
    qapp.setStyleSheet(style_sheet())
    dialog = SalesHistoryDialog(
        runner,
        shop.receipts,
        Formatter(),
        returns=shop.returns,
        cancellations=shop.cancellations,
        staff=shop.staff,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def open_cancel(qtbot: QtBot, history: SalesHistoryDialog, row: int) -> CancelSaleDialog:
    history.reload()
    qtbot.waitUntil(lambda: history.model.rowCount() > row, timeout=5000)
    history.sales_view.selectRow(row)
    qtbot.waitUntil(lambda: history.cancel_button.isEnabled(), timeout=5000)
    qtbot.mouseClick(history.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: history.cancel_dialog is not None, timeout=5000)
    dialog = history.cancel_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_a_sale_is_annulled_with_a_reason_and_a_managers_pin(
    qtbot: QtBot, history: SalesHistoryDialog, shop: Shop, engine: Any
) -> None:
    shop.till.open_till(CashCount({2000: 5}))
    shop.sell(MILK, card=True)
    number = shop.sell(COFFEE, COFFEE)
    history.reload()
    qtbot.waitUntil(lambda: history.model.rowCount() == 2, timeout=5000)
    qtbot.waitUntil(lambda: history.cancel_button.isEnabled(), timeout=5000)
    assert history.cancel_button.text() == "Anular ticket…"
    qtbot.waitUntil(lambda: bool(history.preview.toPlainText()), timeout=5000)
    save_screenshot(history, "sales_history_cancel_button_screenshot")
    dialog = open_cancel(qtbot, history, 0)  # the newest: the cash sale
    qtbot.waitUntil(lambda: dialog.confirm_button.isEnabled(), timeout=5000)
    assert "en efectivo" in dialog.refunds_label.text()

    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)  # no reason yet
    assert dialog.message_label.text() == "Escriba el motivo de la anulación."
    dialog.reason_field.setCurrentText("Cobrado dos veces")
    dialog.resize(720, 560)
    save_screenshot(dialog, "cancel_sale_screenshot")

    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(dialog.child, OverrideDialog), timeout=5000)
    override = dialog.child
    assert isinstance(override, OverrideDialog)
    qtbot.waitUntil(lambda: override.panel.picked is not None, timeout=5000)
    assert (
        "Anular una venta cobrada"
        in override.findChild(type(override.reason_label), "dialogTitle").text()
    )  # type: ignore[union-attr]
    qtbot.keyClicks(override.panel.pin_field, LUIS_PIN)
    with qtbot.waitSignal(dialog.receipt_printed, timeout=10000) as printed:
        qtbot.keyClick(override.panel.pin_field, Qt.Key.Key_Return)
    assert printed.args[0].ok
    qtbot.waitUntil(lambda: dialog.preview.isVisible(), timeout=5000)
    assert f"Ticket {number} anulado. Devuelva" in dialog.message_label.text()
    assert "ANULACIÓN DEL TICKET" in dialog.preview.toPlainText()
    assert shop.printer.documents[-1].title == f"ANULACIÓN DEL TICKET {number}"
    assert history.status_label.text() == f"Ticket {number} anulado."
    save_screenshot(dialog, "cancel_sale_done_screenshot")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT receipt_number FROM sale_cancellations")).all() == [
            (number,)
        ]

    dialog.reject()
    qtbot.waitUntil(lambda: history.cancel_dialog is None, timeout=5000)
    receipt = history.model.index(0, history.model.RECEIPT)
    qtbot.waitUntil(lambda: "ANULADO" in str(receipt.data()), timeout=5000)
    assert str(receipt.data()) == f"{number}\nANULADO"
    assert "anulado" in str(receipt.data(Qt.ItemDataRole.ToolTipRole))
    assert str(history.model.index(1, history.model.RECEIPT).data()).count("\n") == 0
    assert history.total_label.text() == "2 ventas, 1 anulada · 0,99\xa0€"  # the milk, by card
    save_screenshot(history, "sales_history_cancelled_screenshot")
    # The same sale again: refused at once, with the reason, no PIN asked.
    again = open_cancel(qtbot, history, 0)
    qtbot.waitUntil(lambda: "ya está anulado" in again.message_label.text(), timeout=5000)
    assert not again.confirm_button.isEnabled()
    assert again.child is None
    again.reject()


def test_a_sale_of_a_closed_till_is_refused_with_a_clear_message(
    qtbot: QtBot, history: SalesHistoryDialog, shop: Shop
) -> None:
    shop.till.open_till(CashCount({2000: 5}))
    shop.sell(COFFEE)
    shop.till.close_z(CashCount({2000: 5}))
    shop.till.open_till(CashCount({2000: 5}))
    dialog = open_cancel(qtbot, history, 0)
    qtbot.waitUntil(lambda: "caja ya cerrada" in dialog.message_label.text(), timeout=5000)
    assert "Haga una devolución" in dialog.message_label.text()
    assert dialog.refunds_label.text() == "Esta venta no se puede anular."
    assert not dialog.confirm_button.isEnabled()
    dialog.resize(720, 420)
    save_screenshot(dialog, "cancel_sale_refused_screenshot")
    dialog.reject()
