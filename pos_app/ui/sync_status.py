"""Sync in the status bar: online or offline, events waiting, last successful sync, and the
number of items that need a manager's attention (a button that opens the list)."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from pos_app.services.sync import SyncStatus
from pos_app.ui.error_messages import describe_sync_problem


class SyncStatusBridge(QObject):
    """Receives the worker's status on its thread; re-emits it, queued, on the GUI thread."""

    status_changed = Signal(object)  # SyncStatus

    def publish(self, status: SyncStatus) -> None:  # called from the sync thread
        self.status_changed.emit(status)


class SyncStatusWidget(QWidget):
    attention_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.connection_label = QLabel()
        self.connection_label.setObjectName("syncConnection")
        self.pending_label = QLabel()
        self.pending_label.setObjectName("syncPending")
        self.last_sync_label = QLabel()
        self.last_sync_label.setObjectName("syncLast")
        self.attention_button = QPushButton()
        self.attention_button.setObjectName("attentionButton")
        self.attention_button.setFlat(True)
        self.attention_button.clicked.connect(self.attention_requested)
        for widget in (
            self.connection_label,
            self.pending_label,
            self.last_sync_label,
            self.attention_button,
        ):
            layout.addWidget(widget)
        self.status: SyncStatus | None = None
        self.show_status(None)

    def show_status(self, status: SyncStatus | None) -> None:
        self.status = status
        if status is None or not status.enrolled:
            self.connection_label.setText(self.tr("Sin sincronizar (caja local)"))
            self.connection_label.setProperty("state", "local")
            self.pending_label.setText("")
            self.last_sync_label.setText("")
            # A local register has its own alarms (a clock behind the fiscal journal).
            local_attention = status.attention if status is not None else 0
            self.attention_button.setVisible(local_attention > 0)
            self.attention_button.setText(self.tr("⚠ Revisar: {n}").format(n=local_attention))
            self.setToolTip("")
            self.connection_label.setToolTip("")
            self._repolish()
            return
        problem = describe_sync_problem(status.last_error)
        if status.busy_elsewhere:
            text, state = self.tr("Otra copia de Mostrador sincroniza esta caja"), "error"
        elif problem is not None:  # refused: retrying will not help, a person must act
            text, state = problem.headline, "error"
        elif status.online is None:
            text, state = self.tr("Conectando…"), "connecting"
        elif status.online:
            text, state = self.tr("● En línea"), "online"
        else:
            text, state = self.tr("● Sin conexión"), "offline"
        if status.pulling:
            text += self.tr(" · descargando catálogo ({n} cambios)").format(n=status.pulled_changes)
        self.connection_label.setText(text)
        self.connection_label.setProperty("state", state)
        self.pending_label.setText(self.tr("Pendientes: {n}").format(n=status.pending))
        self.last_sync_label.setText(
            self.tr("Sincronizado: {when}").format(when=_when(status.last_success_at))
        )
        self.attention_button.setVisible(status.attention > 0)
        self.attention_button.setText(self.tr("⚠ Revisar: {n}").format(n=status.attention))
        detail = problem.detail if problem is not None else (status.last_error or "")
        self.setToolTip(detail)
        self.connection_label.setToolTip(detail)
        self.connection_label.setAccessibleDescription(detail)
        self._repolish()

    def _repolish(self) -> None:
        style = self.connection_label.style()
        style.unpolish(self.connection_label)
        style.polish(self.connection_label)


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "—"
    return moment.strftime("%H:%M:%S")  # recorded in the store's time zone
