"""The register's dialogs on a real register database: product search, today's sales with
reprints, parked sales and the receipt preview. Their table models go through the model tester;
the search and history dialogs run on the real TaskRunner (worker threads, results delivered
back on the GUI thread), as in the app. Screenshots land in tests/screenshots/ (git-ignored)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot
from support import COFFEE, IDENTITY, MILK, SOAP, FixedClock, weighed

from hardware.errors import PrinterUnavailable
from hardware.escpos_decoder import decode
from hardware.printers import MemoryReceiptPrinter
from pos_app.domain.money import Money
from pos_app.services.checkout import CheckoutService
from pos_app.services.ports import ProductRecord, UnitOfWorkFactory
from pos_app.services.receipts import ReceiptPrinted, ReceiptService
from pos_app.ui.app import style_sheet
from pos_app.ui.formatting import Formatter
from pos_app.ui.parked_sale_table_model import ParkedSaleTableModel
from pos_app.ui.parked_sales_dialog import ParkedSalesDialog
from pos_app.ui.product_table_model import ProductTableModel
from pos_app.ui.receipt_preview_dialog import RECEIPT_WIDTH, ReceiptPreviewDialog
from pos_app.ui.sale_summary_table_model import SaleSummaryTableModel
from pos_app.ui.sales_history_dialog import SalesHistoryDialog
from pos_app.ui.search_dialog import ProductSearchDialog
from pos_app.ui.task_runner import SyncTaskRunner, TaskRunner

# Any Qt warning (a bad model index, a layout problem, a misused API) fails the test.
pytestmark = pytest.mark.qt_log_level_fail("WARNING")

SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"
COFFEE_NAMES = {"Café molido natural 250 g", "Cafetera italiana"}
NBSP = "\xa0"  # Babel puts a no-break space between amount and currency sign


# --- fixtures and helpers ------------------------------------------------------------------
@pytest.fixture
def formatter() -> Formatter:
    return Formatter()


@pytest.fixture
def checkout(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> CheckoutService:
    return CheckoutService(uow_factory, clock, IDENTITY, cashier="Ana")


@pytest.fixture
def printer() -> MemoryReceiptPrinter:
    return MemoryReceiptPrinter()


@pytest.fixture
def receipts(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, printer: MemoryReceiptPrinter
) -> ReceiptService:
    return ReceiptService(uow_factory, clock, IDENTITY, printer)


@pytest.fixture
def app_style(qapp: Any) -> Iterator[None]:
    """The application's style sheet, as the register runs with it; removed afterwards."""
    qapp.setStyleSheet(style_sheet())
    yield
    qapp.setStyleSheet("")


@pytest.fixture
def runner(qtbot: QtBot, engine: object) -> Iterator[TaskRunner]:
    """The app's runner; drained and stopped before the database closes."""
    task_runner = TaskRunner()
    yield task_runner
    qtbot.waitUntil(lambda: task_runner.idle, timeout=5000)
    task_runner.shutdown()


class FakeManualRunner:
    """Keeps each task until the test delivers it, in any order: for races."""

    def __init__(self) -> None:
        self.pending: list[tuple[Callable[[], Any], Callable[[Any], None] | None]] = []

    def run_db(
        self,
        fn: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.pending.append((fn, on_success))

    run_io = run_db

    def deliver(self, position: int) -> None:
        fn, on_success = self.pending.pop(position)
        result = fn()
        if on_success is not None:
            on_success(result)


def complete_cash_sale(checkout: CheckoutService, code: str, cash_cents: int) -> str:
    checkout.scan(code)
    checkout.add_cash(Money(cash_cents))
    return checkout.complete_sale().sale.receipt_number


def complete_three_sales(checkout: CheckoutService, clock: FixedClock) -> list[str]:
    """A cash sale at 10:30, a card sale at 10:45, a card-and-cash sale at 11:00."""
    numbers = [complete_cash_sale(checkout, COFFEE, 500)]
    clock.advance(minutes=15)
    checkout.scan(SOAP)
    checkout.add_card(Money(1210), "AUT-1")
    numbers.append(checkout.complete_sale().sale.receipt_number)
    clock.advance(minutes=15)
    checkout.scan(MILK)
    checkout.scan(MILK)
    checkout.add_card(Money(100), "AUT-2")
    checkout.add_cash(Money(100))
    numbers.append(checkout.complete_sale().sale.receipt_number)
    return numbers


def show(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)


def distinct_colours(image: QImage, step: int = 3) -> int:
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


def save_screenshot(widget: QWidget, name: str) -> QImage:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pixmap = widget.grab()
    path = SCREENSHOTS / f"{name}.png"
    assert pixmap.save(str(path))
    image = QImage(str(path))
    assert not image.isNull()
    return image


def column_texts(model: Any, column: int) -> list[str]:
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


# --- table models ----------------------------------------------------------------------------
def test_the_product_model_passes_the_model_tester_and_prices_weighed_goods_per_kilo(
    qtmodeltester: Any, checkout: CheckoutService, formatter: Formatter
) -> None:
    model = ProductTableModel(formatter)
    model.set_products(checkout.search("P000"))
    qtmodeltester.check(model)

    assert model.rowCount() == 9
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == [
        "Nombre",
        "SKU",
        "Precio",
    ]
    rows = {model.product_at(r).sku: r for r in range(model.rowCount())}
    assert model.data(model.index(rows["P0001"], ProductTableModel.PRICE)) == f"3,49{NBSP}€"
    assert model.data(model.index(rows["P0006"], ProductTableModel.PRICE)) == f"2,99{NBSP}€/kg"
    assert model.data(model.index(rows["P0008"], ProductTableModel.NAME)) == "Cafetera italiana"

    model.set_products([])
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_the_sale_summary_model_names_each_way_of_paying(
    qtmodeltester: Any,
    checkout: CheckoutService,
    clock: FixedClock,
    receipts: ReceiptService,
    formatter: Formatter,
) -> None:
    numbers = complete_three_sales(checkout, clock)
    model = SaleSummaryTableModel(formatter)
    model.set_sales(receipts.sales_of_day())
    qtmodeltester.check(model)

    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "Hora",
        "Ticket",
        "Cajero",
        "Artículos",
        "Forma de pago",
        "Total",
    ]
    # Newest first, as the service returns them.
    assert column_texts(model, SaleSummaryTableModel.TIME) == ["11:00", "10:45", "10:30"]
    assert column_texts(model, SaleSummaryTableModel.RECEIPT) == numbers[::-1]
    assert column_texts(model, SaleSummaryTableModel.CASHIER) == ["Ana"] * 3
    assert column_texts(model, SaleSummaryTableModel.ITEMS) == ["2", "1", "1"]
    assert column_texts(model, SaleSummaryTableModel.TENDERS) == ["Mixto", "Tarjeta", "Efectivo"]
    assert column_texts(model, SaleSummaryTableModel.TOTAL) == [
        f"1,98{NBSP}€",
        f"12,10{NBSP}€",
        f"3,49{NBSP}€",
    ]
    assert model.tenders_text("cash+card") == "Mixto"
    assert model.row_of(model.sale_at(1).sale_id) == 1


def test_the_parked_sale_model_shows_label_items_and_total(
    qtmodeltester: Any, checkout: CheckoutService, clock: FixedClock, formatter: Formatter
) -> None:
    checkout.scan(COFFEE)
    checkout.scan(COFFEE)
    checkout.park("Señora del abrigo rojo")
    clock.advance(minutes=3)
    checkout.scan(weighed(1250))
    checkout.park()
    model = ParkedSaleTableModel(formatter)
    model.set_parked(checkout.parked_sales())
    qtmodeltester.check(model)

    assert model.rowCount() == 2
    labels = set(column_texts(model, ParkedSaleTableModel.LABEL))
    assert labels == {"Señora del abrigo rojo", "—"}
    totals = set(column_texts(model, ParkedSaleTableModel.TOTAL))
    assert totals == {f"6,98{NBSP}€", f"3,74{NBSP}€"}


# --- product search --------------------------------------------------------------------------
def test_typing_cafe_finds_both_coffee_products_and_down_enter_picks_one(
    qtbot: QtBot, runner: TaskRunner, checkout: CheckoutService, formatter: Formatter
) -> None:
    dialog = ProductSearchDialog(runner, checkout.search, formatter)
    show(qtbot, dialog)
    assert dialog.findChild(QWidget, "searchField") is dialog.search_field
    assert dialog.findChild(QWidget, "resultsView") is dialog.results_view

    qtbot.keyClicks(dialog.search_field, "cafe")  # no accent: the search ignores them
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2)
    assert {p.name for p in dialog.model.products()} == COFFEE_NAMES
    assert dialog.status_label.text() == "2 productos"

    qtbot.keyClick(dialog.search_field, Qt.Key.Key_Down)
    assert dialog.focusWidget() is dialog.results_view
    assert dialog.results_view.currentIndex().row() == 0
    qtbot.keyClick(dialog.results_view, Qt.Key.Key_Down)
    assert dialog.results_view.currentIndex().row() == 1
    second = dialog.model.product_at(1)

    qtbot.keyClick(dialog.results_view, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.selected_product == second
    assert dialog.selected_product is not None
    assert dialog.selected_product.name in COFFEE_NAMES


def test_enter_in_the_field_picks_the_first_result(
    qtbot: QtBot, runner: TaskRunner, checkout: CheckoutService, formatter: Formatter
) -> None:
    dialog = ProductSearchDialog(runner, checkout.search, formatter, initial_text="cafetera")
    show(qtbot, dialog)
    assert dialog.search_field.text() == "cafetera"
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)

    qtbot.keyClick(dialog.search_field, Qt.Key.Key_Enter)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.selected_product is not None
    assert dialog.selected_product.sku == "P0008"


def test_typing_goes_on_after_the_text_brought_from_the_scan_field(
    qtbot: QtBot, runner: TaskRunner, checkout: CheckoutService, formatter: Formatter
) -> None:
    dialog = ProductSearchDialog(runner, checkout.search, formatter, initial_text="caf")
    show(qtbot, dialog)
    assert not dialog.search_field.hasSelectedText()
    qtbot.keyClicks(dialog.search_field, "etera")
    assert dialog.search_field.text() == "cafetera"
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)


def test_enter_typed_before_the_results_arrive_picks_the_first_result_of_the_new_text(
    qtbot: QtBot, runner: TaskRunner, checkout: CheckoutService, formatter: Formatter
) -> None:
    dialog = ProductSearchDialog(runner, checkout.search, formatter)
    show(qtbot, dialog)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClicks(dialog.search_field, "tomate")
        qtbot.keyClick(dialog.search_field, Qt.Key.Key_Return)  # within the 150 ms
    assert dialog.selected_product is not None
    assert dialog.selected_product.name == "Tomate pera"


def test_the_search_works_with_the_synchronous_runner_of_presenter_tests(
    qtbot: QtBot, checkout: CheckoutService, formatter: Formatter
) -> None:
    dialog = ProductSearchDialog(SyncTaskRunner(), checkout.search, formatter)
    show(qtbot, dialog)
    qtbot.keyClicks(dialog.search_field, "jabon")
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    assert dialog.status_label.text() == "1 producto"
    qtbot.keyClick(dialog.search_field, Qt.Key.Key_Return)
    assert dialog.selected_product is not None
    assert dialog.selected_product.sku == "P0003"


def test_results_of_an_outdated_query_are_ignored(
    qtbot: QtBot, checkout: CheckoutService, formatter: Formatter
) -> None:
    manual = FakeManualRunner()
    dialog = ProductSearchDialog(manual, checkout.search, formatter)
    show(qtbot, dialog)

    qtbot.keyClicks(dialog.search_field, "pan")
    qtbot.waitUntil(lambda: len(manual.pending) == 1)
    dialog.search_field.clear()
    qtbot.keyClicks(dialog.search_field, "leche")
    qtbot.waitUntil(lambda: len(manual.pending) == 2)

    manual.deliver(1)  # "leche" answers first...
    assert [p.sku for p in dialog.model.products()] == ["P0002"]
    manual.deliver(0)  # ...then the stale "pan": dropped
    assert [p.sku for p in dialog.model.products()] == ["P0002"]


def test_typing_quickly_searches_once_after_the_pause(
    qtbot: QtBot, checkout: CheckoutService, formatter: Formatter
) -> None:
    manual = FakeManualRunner()
    dialog = ProductSearchDialog(manual, checkout.search, formatter)
    show(qtbot, dialog)
    qtbot.keyClicks(dialog.search_field, "galletas")
    qtbot.waitUntil(lambda: len(manual.pending) == 1)
    qtbot.wait(300)
    assert len(manual.pending) == 1


def test_a_search_without_matches_says_so_and_escape_cancels(
    qtbot: QtBot, runner: TaskRunner, checkout: CheckoutService, formatter: Formatter
) -> None:
    dialog = ProductSearchDialog(runner, checkout.search, formatter)
    show(qtbot, dialog)
    assert dialog.status_label.text() == "Escriba para buscar"
    with qtbot.waitSignal(dialog.results_shown) as shown:
        qtbot.keyClicks(dialog.search_field, "zzzz")
    assert shown.args == [0]
    assert dialog.status_label.text() == "Sin resultados"
    assert not dialog.pick_button.isEnabled()

    qtbot.keyClick(dialog.search_field, Qt.Key.Key_Return)  # nothing to pick: stays open
    assert dialog.isVisible()
    qtbot.keyClick(dialog.search_field, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.selected_product is None


def test_a_failing_search_is_shown_not_raised(qtbot: QtBot, formatter: Formatter) -> None:
    def broken_search(_text: str) -> list[ProductRecord]:
        raise OSError("disk I/O error")

    manual = FakeManualRunner()
    dialog = ProductSearchDialog(manual, broken_search, formatter)
    show(qtbot, dialog)
    errors: list[BaseException] = []

    def run_db(
        fn: Callable[[], Any],
        on_success: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        try:
            fn()
        except OSError as exc:
            errors.append(exc)
            assert on_error is not None
            on_error(exc)

    manual.run_db = run_db  # type: ignore[method-assign]
    qtbot.keyClicks(dialog.search_field, "pan")
    qtbot.waitUntil(lambda: bool(errors))
    assert "disk I/O error" in dialog.status_label.text()
    assert dialog.model.rowCount() == 0


# --- sales history and reprints --------------------------------------------------------------
def test_the_history_lists_todays_sales_and_previews_the_newest(
    qtbot: QtBot,
    runner: TaskRunner,
    checkout: CheckoutService,
    clock: FixedClock,
    receipts: ReceiptService,
    formatter: Formatter,
) -> None:
    numbers = complete_three_sales(checkout, clock)
    dialog = SalesHistoryDialog(runner, receipts, formatter)
    show(qtbot, dialog)

    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3)
    assert dialog.total_label.text() == f"3 ventas · 17,57{NBSP}€"
    assert dialog.findChild(QWidget, "receiptPreview") is dialog.preview
    assert dialog.preview.isReadOnly()
    qtbot.waitUntil(lambda: numbers[2] in dialog.preview.toPlainText())
    assert "TOTAL" in dialog.preview.toPlainText()

    # Down selects the previous sale, and its receipt replaces the preview.
    qtbot.keyClick(dialog.sales_view, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: numbers[1] in dialog.preview.toPlainText())
    assert numbers[2] not in dialog.preview.toPlainText()

    qtbot.keyClick(dialog.sales_view, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_reprint_prints_a_copy_of_the_selected_sale(
    qtbot: QtBot,
    runner: TaskRunner,
    checkout: CheckoutService,
    receipts: ReceiptService,
    printer: MemoryReceiptPrinter,
    formatter: Formatter,
) -> None:
    number = complete_cash_sale(checkout, COFFEE, 500)
    dialog = SalesHistoryDialog(runner, receipts, formatter)
    show(qtbot, dialog)
    assert dialog.findChild(QWidget, "reprintButton") is dialog.reprint_button
    assert dialog.reprint_button.text() == "Reimprimir (F5)"
    qtbot.waitUntil(dialog.reprint_button.isEnabled)

    with qtbot.waitSignal(dialog.reprint_finished) as finished:
        qtbot.mouseClick(dialog.reprint_button, Qt.MouseButton.LeftButton)
    printed: ReceiptPrinted = finished.args[0]
    assert printed.ok and printed.copy and printed.receipt_number == number
    assert len(printer.receipts) == 1
    text = decode(printer.receipts[0]).text
    assert "COPIA" in text and number in text
    assert dialog.status_label.text() == f"Copia impresa del ticket {number}"
    assert dialog.reprint_button.isEnabled()


def test_a_printer_failure_is_reported_and_the_sale_stands(
    qtbot: QtBot,
    runner: TaskRunner,
    checkout: CheckoutService,
    receipts: ReceiptService,
    printer: MemoryReceiptPrinter,
    formatter: Formatter,
) -> None:
    number = complete_cash_sale(checkout, COFFEE, 500)
    dialog = SalesHistoryDialog(runner, receipts, formatter)
    show(qtbot, dialog)
    qtbot.waitUntil(dialog.reprint_button.isEnabled)
    printer.fail_next = PrinterUnavailable("sin papel")

    with qtbot.waitSignal(dialog.reprint_finished) as finished:
        dialog.reprint_button.click()
    printed: ReceiptPrinted = finished.args[0]
    assert not printed.ok and printed.error == "sin papel"
    assert printer.receipts == ()
    assert dialog.status_label.text() == "No se pudo imprimir: sin papel. La venta está guardada."
    assert receipts.find(number).receipt_number == number
    assert dialog.reprint_button.isEnabled()  # the cashier can try again


def test_f5_reprints(
    qtbot: QtBot,
    runner: TaskRunner,
    checkout: CheckoutService,
    receipts: ReceiptService,
    printer: MemoryReceiptPrinter,
    formatter: Formatter,
) -> None:
    complete_cash_sale(checkout, COFFEE, 500)
    dialog = SalesHistoryDialog(runner, receipts, formatter)
    show(qtbot, dialog)
    qtbot.waitUntil(dialog.reprint_button.isEnabled)
    # A window shortcut fires only in the active window: make sure the dialog is it.
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    with qtbot.waitSignal(dialog.reprint_finished):
        qtbot.keyClick(dialog.sales_view, Qt.Key.Key_F5)
    assert len(printer.receipts) == 1


def test_a_day_without_sales_says_so(
    qtbot: QtBot, receipts: ReceiptService, formatter: Formatter
) -> None:
    manual = FakeManualRunner()
    dialog = SalesHistoryDialog(manual, receipts, formatter)
    show(qtbot, dialog)
    assert dialog.status_label.text() == "Cargando ventas…"
    with qtbot.waitSignal(dialog.sales_loaded) as loaded:
        manual.deliver(0)
    assert loaded.args == [0]
    assert dialog.status_label.text() == "Hoy no hay ventas en esta caja."
    assert dialog.total_label.text() == f"0 ventas · 0,00{NBSP}€"
    assert not dialog.reprint_button.isEnabled()


def test_answers_arriving_after_the_history_closed_are_dropped(
    qtbot: QtBot, checkout: CheckoutService, receipts: ReceiptService, formatter: Formatter
) -> None:
    complete_cash_sale(checkout, COFFEE, 500)
    manual = FakeManualRunner()
    dialog = SalesHistoryDialog(manual, receipts, formatter)
    show(qtbot, dialog)
    manual.deliver(0)  # the day's sales: selecting the newest asks for its preview
    assert dialog.model.rowCount() == 1 and len(manual.pending) == 1
    qtbot.keyClick(dialog.sales_view, Qt.Key.Key_Escape)
    manual.deliver(0)
    assert dialog.preview.toPlainText() == ""


# --- parked sales ----------------------------------------------------------------------------
@pytest.fixture
def two_parked(checkout: CheckoutService, clock: FixedClock) -> list[str]:
    checkout.scan(COFFEE)
    first = checkout.park("Señora del abrigo rojo").parked_id
    clock.advance(minutes=2)
    checkout.scan(SOAP)
    second = checkout.park("Repartidor").parked_id
    return [first, second]


def test_enter_on_a_parked_sale_returns_its_id(
    qtbot: QtBot, checkout: CheckoutService, two_parked: list[str], formatter: Formatter
) -> None:
    dialog = ParkedSalesDialog(checkout.parked_sales(), formatter)
    show(qtbot, dialog)
    assert dialog.parked_view.currentIndex().row() == 0

    qtbot.keyClick(dialog.parked_view, Qt.Key.Key_Down)
    chosen = dialog.model.parked_at(1).parked_id
    qtbot.keyClick(dialog.parked_view, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.selected_parked_id == chosen
    assert chosen in two_parked


def test_double_click_or_recuperar_returns_the_parked_id(
    qtbot: QtBot, checkout: CheckoutService, two_parked: list[str], formatter: Formatter
) -> None:
    dialog = ParkedSalesDialog(checkout.parked_sales(), formatter)
    show(qtbot, dialog)
    rect = dialog.parked_view.visualRect(dialog.model.index(1, 1))
    viewport = dialog.parked_view.viewport()
    # A real double click is press, release, double-click: the view checks the pressed row.
    qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.selected_parked_id == dialog.model.parked_at(1).parked_id

    again = ParkedSalesDialog(checkout.parked_sales(), formatter)
    show(qtbot, again)
    again.parked_view.selectionModel().setCurrentIndex(
        again.model.index(1, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    qtbot.mouseClick(again.resume_button, Qt.MouseButton.LeftButton)
    assert again.result() == QDialog.DialogCode.Accepted
    assert again.selected_parked_id == again.model.parked_at(1).parked_id


def test_no_parked_sales_leaves_nothing_to_recover(qtbot: QtBot, formatter: Formatter) -> None:
    dialog = ParkedSalesDialog([], formatter)
    show(qtbot, dialog)
    assert not dialog.resume_button.isEnabled()
    assert dialog.status_label.text() == "No hay ventas aparcadas."
    qtbot.keyClick(dialog.parked_view, Qt.Key.Key_Return)
    assert dialog.isVisible()
    qtbot.keyClick(dialog.parked_view, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.selected_parked_id is None


# --- receipt preview -------------------------------------------------------------------------
def test_the_receipt_preview_fits_a_48_character_line(qtbot: QtBot) -> None:
    text = "\n".join(["=" * RECEIPT_WIDTH, "Ultramarinos La Plaza".center(RECEIPT_WIDTH)] * 3)
    dialog = ReceiptPreviewDialog(text, "Ticket T01-C01-2026-000001")
    show(qtbot, dialog)
    assert dialog.windowTitle() == "Ticket T01-C01-2026-000001"
    assert dialog.findChild(QWidget, "receiptPreview") is dialog.preview
    assert dialog.preview.toPlainText() == text
    assert dialog.preview.isReadOnly()
    # No line is cut: no horizontal scroll bar once the text is laid out.
    qtbot.waitUntil(lambda: not dialog.preview.horizontalScrollBar().isVisible())
    assert dialog.preview.horizontalScrollBar().maximum() == 0
    qtbot.keyClick(dialog.preview, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected


# --- screenshots -----------------------------------------------------------------------------
def test_screenshot_search_dialog(
    app_style: None,
    qtbot: QtBot,
    runner: TaskRunner,
    checkout: CheckoutService,
    formatter: Formatter,
) -> None:
    dialog = ProductSearchDialog(runner, checkout.search, formatter, initial_text="ca")
    show(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.model.rowCount() >= 2)
    image = save_screenshot(dialog, "search_dialog")
    assert image.width() >= 720 and image.height() >= 480
    assert distinct_colours(image) > 20


def test_screenshot_sales_history_dialog(
    app_style: None,
    qtbot: QtBot,
    runner: TaskRunner,
    checkout: CheckoutService,
    clock: FixedClock,
    receipts: ReceiptService,
    printer: MemoryReceiptPrinter,
    formatter: Formatter,
) -> None:
    numbers = complete_three_sales(checkout, clock)
    dialog = SalesHistoryDialog(runner, receipts, formatter)
    show(qtbot, dialog)
    qtbot.waitUntil(lambda: numbers[2] in dialog.preview.toPlainText())
    # Every column fits beside the receipt: no horizontal scrolling in either.
    qtbot.waitUntil(lambda: not dialog.sales_view.horizontalScrollBar().isVisible())
    assert not dialog.preview.horizontalScrollBar().isVisible()
    printer.fail_next = PrinterUnavailable("sin papel")
    with qtbot.waitSignal(dialog.reprint_finished):
        dialog.reprint_button.click()
    image = save_screenshot(dialog, "sales_history_dialog")
    assert distinct_colours(image) > 20


def test_screenshot_parked_sales_dialog(
    app_style: None,
    qtbot: QtBot,
    checkout: CheckoutService,
    two_parked: list[str],
    formatter: Formatter,
) -> None:
    dialog = ParkedSalesDialog(checkout.parked_sales(), formatter)
    show(qtbot, dialog)
    assert distinct_colours(save_screenshot(dialog, "parked_sales_dialog")) > 20


def test_screenshot_receipt_preview_dialog(
    app_style: None, qtbot: QtBot, checkout: CheckoutService, receipts: ReceiptService
) -> None:
    checkout.scan(COFFEE)
    checkout.scan(weighed(1250))
    checkout.add_cash(Money(2000))
    sale = checkout.complete_sale().sale
    dialog = ReceiptPreviewDialog(receipts.preview_text(sale.sale_id), sale.receipt_number)
    show(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.preview.horizontalScrollBar().isVisible())
    assert distinct_colours(save_screenshot(dialog, "receipt_preview_dialog")) > 20
