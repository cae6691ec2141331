"""The needs-attention list: events the backend rejected or applied with a conflict, and
events this register lost before sending them (a gap in its outbox).

Nothing is dropped silently: each item says what happened and why, and a manager marks it as
seen once settled (it stays recorded)."""

from __future__ import annotations

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
from pos_app.ui.error_messages import describe_conflict
from pos_app.ui.qt_helpers import RowTableModel, weak_callback
from pos_app.ui.task_runner import Runner


class AttentionTableModel(RowTableModel[AttentionItem]):
    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("Fecha"),
            self.tr("Tipo"),
            self.tr("Estado"),
            self.tr("Motivo"),
        )

    def set_items(self, items: list[AttentionItem]) -> None:
        self.set_rows(items)

    def item_at(self, row: int) -> AttentionItem | None:
        return self.row_or_none(row)

    def display(self, row: AttentionItem, column: int) -> str | None:
        if column == 0:
            return row.created_at.strftime("%d/%m %H:%M")  # the store's local time
        if column == 1:
            return {
                "sale.completed": self.tr("Venta"),
                "sale.abandoned": self.tr("Venta anulada"),
                "outbox.gap": self.tr("Eventos perdidos"),
                "pickup.transition": self.tr("Recogida"),
                "return.completed": self.tr("Devolución"),
                "customer.upserted": self.tr("Cliente"),
                "fiscal.clock": self.tr("Reloj atrasado"),
            }.get(row.event_type, row.event_type)
        if column == 2:
            return {
                "rejected": self.tr("Rechazado"),
                "conflict": self.tr("Aplicado con conflicto"),
                "missing": self.tr("No enviados (perdidos en esta caja)"),
                "alarm": self.tr("Alarma de esta caja"),
            }.get(row.status, row.status)
        if column == 3:
            if row.status == "missing":
                return self.tr(
                    "Eventos de esta caja que nunca llegaron a la central y ya no están en ella "
                    "(¿una copia de seguridad restaurada?). Revise las ventas de ese momento; "
                    "los pendientes posteriores se enviaron."
                )
            if row.code == "clock_behind":
                return self.tr(
                    "El reloj de esta caja va por detrás de su último registro fiscal: las "
                    "ventas siguen, con la hora de ese registro. Ponga el reloj en hora."
                )
            advice = describe_conflict(row.code, row.message) if row.code else None
            if advice is not None:
                return f"{advice} [{row.code}]"
            return f"{row.message} [{row.code}]" if row.code else row.message
        return None

    def tooltip(self, row: AttentionItem, column: int) -> str | None:
        if row.status in ("missing", "alarm"):  # the register's own record, in detail
            return row.message
        if row.code and row.message and describe_conflict(row.code) is not None:
            # The advice stands in for the backend's message: it is kept here, whole.
            return f"{row.message}\n{row.event_type} #{row.seq} {row.event_id}"
        return f"{row.event_type} #{row.seq} {row.event_id}"


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
                "Eventos que la central rechazó o aplicó con un conflicto, y eventos que esta "
                "caja perdió antes de enviarlos. Revise cada uno y márquelo como revisado "
                "cuando esté resuelto."
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
        self.view.setWordWrap(True)  # a reason is a sentence or two: shown whole
        self.view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # A wider reason column takes fewer lines: the rows follow the dialog's size.
        self.view.horizontalHeader().sectionResized.connect(self._on_section_resized)
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
        self.view.resizeRowsToContents()
        if items:
            self.view.selectRow(0)

    def _on_section_resized(self, index: int, _old: int, _new: int) -> None:
        if index == 3:
            self.view.resizeRowsToContents()

    def _on_resolve_clicked(self) -> None:
        index = self.view.currentIndex()
        item = self.model.item_at(index.row()) if index.isValid() else None
        if item is None:
            return
        sync, item_id = self._sync, item.item_id
        self._runner.run_db(lambda: sync.resolve_attention(item_id), lambda _: self.reload())
