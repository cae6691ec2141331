"""Finding a product by name or SKU when it has no barcode, or the barcode will not scan.

The cashier types; the catalog is searched on the database worker 150 ms after the last
keystroke; results for a query that has since changed are dropped. Keyboard: Down goes from the
field to the results, Up from the first result back to the field, Enter picks the selected
result (or the first), Escape cancels.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.ports import ProductRecord
from pos_app.ui.error_messages import describe_error
from pos_app.ui.formatting import Formatter
from pos_app.ui.product_table_model import ProductTableModel
from pos_app.ui.qt_helpers import (
    TOUCH_HEIGHT,
    ensure_readable_font,
    make_touch_table_view,
    weak_callback,
)
from pos_app.ui.task_runner import Runner

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 150
_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ProductSearchDialog(QDialog):
    """Search the catalog and pick one product; ``selected_product`` holds it after accept.

    Signals:
        results_shown(int): a search finished and its results (this many) are on screen.
    """

    results_shown = Signal(int)

    def __init__(
        self,
        runner: Runner,
        search: Callable[[str], list[ProductRecord]],
        formatter: Formatter,
        parent: QWidget | None = None,
        initial_text: str = "",
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._search = search
        self._serial = 0  # bumped on every change of the text: older answers are stale
        self._shown_serial = 0  # the serial of the results on screen
        self._pick_when_shown = False  # Enter came before the results of the current text
        self._closed = False  # answers arriving after the dialog closed are dropped
        self.selected_product: ProductRecord | None = None

        self.setWindowTitle(self.tr("Buscar producto"))
        self.setMinimumSize(720, 480)
        ensure_readable_font(self)

        self.search_field = QLineEdit(self)
        self.search_field.setObjectName("searchField")
        self.search_field.setPlaceholderText(self.tr("Nombre, SKU o código del producto"))
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setMinimumHeight(TOUCH_HEIGHT)
        self.search_field.installEventFilter(self)

        self.model = ProductTableModel(formatter, self)
        self.results_view = make_touch_table_view(
            self.model, self, object_name="resultsView", stretch_column=ProductTableModel.NAME
        )
        header = self.results_view.horizontalHeader()
        header.setSectionResizeMode(ProductTableModel.SKU, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ProductTableModel.PRICE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ProductTableModel.SKU, 140)
        header.resizeSection(ProductTableModel.PRICE, 150)
        self.results_view.installEventFilter(self)
        self.results_view.doubleClicked.connect(self._on_results_view_double_clicked)

        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")

        self.pick_button = QPushButton(self.tr("Seleccionar (Intro)"), self)
        self.pick_button.setObjectName("pickButton")
        self.pick_button.setMinimumHeight(TOUCH_HEIGHT)
        self.pick_button.setDefault(True)
        self.pick_button.setEnabled(False)
        self.pick_button.clicked.connect(self._on_pick_button_clicked)
        self.cancel_button = QPushButton(self.tr("Cancelar (Esc)"), self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setMinimumHeight(TOUCH_HEIGHT)
        self.cancel_button.clicked.connect(self.reject)

        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.pick_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_field)
        layout.addWidget(self.results_view, 1)
        layout.addLayout(bottom)
        self.resize(760, 520)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self.search_field.textChanged.connect(self._on_search_field_text_changed)

        self._show_status()
        if initial_text:
            self.search_field.setText(initial_text)  # schedules the first search
        self.search_field.setFocus()

    # --- searching ----------------------------------------------------------------------
    def _on_search_field_text_changed(self, _text: str) -> None:
        self._serial += 1
        self._pick_when_shown = False
        self._timer.start()

    def _on_timer_timeout(self) -> None:
        self._start_search()

    def _start_search(self) -> None:
        self._timer.stop()
        text = self.search_field.text().strip()
        serial = self._serial
        if not text:
            self._show_results(serial, [])
            return
        self.status_label.setText(self.tr("Buscando…"))
        self._runner.run_db(
            partial(self._search, text),  # no reference to a widget may reach the worker
            weak_callback(self._show_results, serial),
            weak_callback(self._show_error, serial),
        )

    def _show_results(self, serial: int, products: list[ProductRecord]) -> None:
        if self._closed or serial != self._serial:
            return  # the dialog closed, or the text changed after this search started
        self._shown_serial = serial
        self.model.set_products(products)
        if products:
            self.results_view.selectRow(0)
        self.pick_button.setEnabled(bool(products))
        self._show_status()
        self.results_shown.emit(len(products))
        if self._pick_when_shown:
            self._pick_when_shown = False
            self._pick()

    def _show_error(self, serial: int, exc: BaseException) -> None:
        log.error("product search failed", exc_info=exc)
        if self._closed or serial != self._serial:
            return
        self._shown_serial = serial
        self._pick_when_shown = False
        self.model.set_products([])
        self.pick_button.setEnabled(False)
        self.status_label.setText(describe_error(exc))

    def _show_status(self) -> None:
        count = self.model.rowCount()
        if not self.search_field.text().strip():
            self.status_label.setText(self.tr("Escriba para buscar"))
        elif count == 0:
            self.status_label.setText(self.tr("Sin resultados"))
        elif count == 1:
            self.status_label.setText(self.tr("1 producto"))
        else:
            self.status_label.setText(self.tr("{count} productos").format(count=count))

    def setVisible(self, visible: bool) -> None:
        super().setVisible(visible)
        if visible:
            # QDialog focuses the field as if by Tab, which selects its text: the cashier goes
            # on typing after what was already typed in the scan field instead.
            self.search_field.deselect()
            self.search_field.end(False)

    def done(self, result: int) -> None:
        self._closed = True
        self._timer.stop()
        super().done(result)

    # --- picking ------------------------------------------------------------------------
    def _current_row(self) -> int:
        rows = self.results_view.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        return 0

    def _pick(self, row: int | None = None) -> None:
        if self.model.rowCount() == 0:
            return
        self.selected_product = self.model.product_at(self._current_row() if row is None else row)
        self.accept()

    def _focus_results(self) -> None:
        if self.model.rowCount() == 0:
            return
        self.results_view.setFocus()
        index = self.model.index(0, 0)
        self.results_view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _pick_when_current(self) -> None:
        """Enter in the field: pick now if the results match the text, else when they do
        (a cashier, or a keyboard-wedge scanner, may type and press Enter within 150 ms)."""
        if self._shown_serial == self._serial:
            self._pick()
            return
        self._pick_when_shown = True
        if self._timer.isActive():
            self._start_search()

    def _on_pick_button_clicked(self) -> None:
        self._pick()

    def _on_results_view_double_clicked(self, index: QModelIndex) -> None:
        self._pick(index.row())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if watched is self.search_field:
                if key == Qt.Key.Key_Down:
                    self._focus_results()
                    return True
                if key in _ENTER_KEYS:
                    self._pick_when_current()
                    return True
            elif watched is self.results_view:
                if key in _ENTER_KEYS:
                    self._pick()
                    return True
                if key == Qt.Key.Key_Up and self.results_view.currentIndex().row() <= 0:
                    self.search_field.setFocus()
                    return True
        return super().eventFilter(watched, event)
