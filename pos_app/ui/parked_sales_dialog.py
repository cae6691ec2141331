"""Choosing a parked sale to take up again. The list is read by the caller beforehand (one
small query); the dialog only lets the cashier pick: Enter, a double tap or "Recuperar"."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.ports import ParkedSale
from pos_app.ui.formatting import Formatter
from pos_app.ui.parked_sale_table_model import ParkedSaleTableModel
from pos_app.ui.qt_helpers import (
    TOUCH_HEIGHT,
    ensure_readable_font,
    fit_columns,
    make_touch_table_view,
)

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ParkedSalesDialog(QDialog):
    """Lists ``parked`` (the first one selected); ``selected_parked_id`` is set on accept."""

    def __init__(
        self,
        parked: Sequence[ParkedSale],
        formatter: Formatter,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.selected_parked_id: str | None = None

        self.setWindowTitle(self.tr("Ventas aparcadas"))
        self.setMinimumSize(640, 400)
        ensure_readable_font(self)

        self.model = ParkedSaleTableModel(formatter, self)
        self.model.set_parked(parked)
        self.parked_view = make_touch_table_view(
            self.model, self, object_name="parkedView", stretch_column=ParkedSaleTableModel.LABEL
        )
        self.parked_view.installEventFilter(self)
        self.parked_view.doubleClicked.connect(self._on_parked_view_double_clicked)

        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        if not parked:
            self.status_label.setText(self.tr("No hay ventas aparcadas."))

        self.resume_button = QPushButton(self.tr("Recuperar (Intro)"), self)
        self.resume_button.setObjectName("resumeButton")
        self.resume_button.setMinimumHeight(TOUCH_HEIGHT)
        self.resume_button.setDefault(True)
        self.resume_button.setEnabled(bool(parked))
        self.resume_button.clicked.connect(self._on_resume_button_clicked)
        self.cancel_button = QPushButton(self.tr("Cancelar (Esc)"), self)
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setMinimumHeight(TOUCH_HEIGHT)
        self.cancel_button.clicked.connect(self.reject)

        bottom = QHBoxLayout()
        bottom.addWidget(self.status_label, 1)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.resume_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.parked_view, 1)
        layout.addLayout(bottom)
        self.resize(720, 440)

        self.ensurePolished()  # size the columns in the fonts the style sheet sets
        fit_columns(self.parked_view, ParkedSaleTableModel.LABEL)
        if parked:
            self.parked_view.selectRow(0)
        self.parked_view.setFocus()

    def _resume(self, row: int | None = None) -> None:
        if row is None:
            row = self.parked_view.currentIndex().row()
        if not 0 <= row < self.model.rowCount():
            return
        self.selected_parked_id = self.model.parked_at(row).parked_id
        self.accept()

    def _on_resume_button_clicked(self) -> None:
        self._resume()

    def _on_parked_view_double_clicked(self, index: QModelIndex) -> None:
        self._resume(index.row())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.parked_view
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER_KEYS
        ):
            self._resume()
            return True
        return super().eventFilter(watched, event)
