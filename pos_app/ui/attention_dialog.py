"""The needs-attention list: events the backend rejected or applied with a conflict.

Nothing is dropped silently: each item says what happened and why, and a manager marks it as
seen once settled (it stays recorded)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.ports import AttentionItem
from pos_app.services.sync import SyncService
from pos_app.ui.qt_helpers import weak_callback
from pos_app.ui.task_runner import Runner

_Index = QModelIndex | QPersistentModelIndex


class AttentionTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AttentionItem] = []
        self._headers = (
            self.tr("Fecha"),
            self.tr("Tipo"),
            self.tr("Estado"),
            self.tr("Motivo"),
        )

    def set_items(self, items: list[AttentionItem]) -> None:
        self.beginResetModel()
        self._rows = list(items)
        self.endResetModel()

    def item_at(self, row: int) -> AttentionItem | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else 4

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < 4 else None
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return item.created_at.strftime("%d/%m %H:%M")  # the store's local time
            if column == 1:
                return {
                    "sale.completed": self.tr("Venta"),
                    "sale.abandoned": self.tr("Venta anulada"),
                }.get(item.event_type, item.event_type)
            if column == 2:
                return (
                    self.tr("Rechazado")
                    if item.status == "rejected"
                    else self.tr("Aplicado con conflicto")
                )
            if column == 3:
                return f"{item.message} [{item.code}]" if item.code else item.message
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{item.event_type} #{item.seq} {item.event_id}"
        return None


class AttentionDialog(QDialog):
    def __init__(self, runner: Runner, sync: SyncService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Requiere atención"))
        self.setMinimumSize(860, 420)
        self._runner = runner
        self._sync = sync
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Eventos que la central rechazó o aplicó con un conflicto. Revise cada uno y "
                "márquelo como revisado cuando esté resuelto."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = AttentionTableModel(self)
        self.view = QTableView()
        self.view.setObjectName("attentionView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.resolve_button = QPushButton(self.tr("Marcar como revisado"))
        self.resolve_button.setObjectName("resolveButton")
        self.resolve_button.clicked.connect(self._on_resolve_clicked)
        close = QPushButton(self.tr("Cerrar (Esc)"))
        close.clicked.connect(self.reject)
        for button in (self.resolve_button, close):
            button.setMinimumHeight(48)
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self._runner.run_db(self._sync.attention_items, weak_callback(self._on_items_loaded))

    def _on_items_loaded(self, items: list[AttentionItem]) -> None:
        self.model.set_items(items)
        self.view.resizeColumnsToContents()
        self.view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        if items:
            self.view.selectRow(0)

    def _on_resolve_clicked(self) -> None:
        index = self.view.currentIndex()
        item = self.model.item_at(index.row()) if index.isValid() else None
        if item is None:
            return
        sync, item_id = self._sync, item.item_id
        self._runner.run_db(lambda: sync.resolve_attention(item_id), lambda _: self.reload())
