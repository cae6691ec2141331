"""A manager's approval: an action went beyond the signed-in person's limits
(``ManagerApprovalRequired``). It says which action and why; a manager picks themself and
types their PIN (checked on the database worker); ``approval`` is then set and the caller
retries the action with it. Cancel leaves everything as it was."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.permissions import Action, Approval, StaffLimits
from pos_app.services.errors import ManagerApprovalRequired
from pos_app.services.ports import StaffMember
from pos_app.services.staff import StaffService
from pos_app.ui.error_messages import describe_action, describe_approval_reason, describe_error
from pos_app.ui.formatting import Formatter
from pos_app.ui.staff_pin_panel import StaffPinPanel
from pos_app.ui.task_runner import Runner


class OverrideDialog(QDialog):
    def __init__(
        self,
        runner: Runner,
        staff: StaffService,
        request: ManagerApprovalRequired,
        parent: QWidget | None = None,
        *,
        formatter: Formatter | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("overrideDialog")
        self._runner = runner
        self._staff = staff
        self._request = request
        self._fmt = formatter
        self.approval: Approval | None = None
        self.setWindowTitle(self.tr("Autorización de un encargado"))
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        title = QLabel(describe_action(request.action))
        title.setObjectName("dialogTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        self.reason_label = QLabel(self.tr("Necesita la autorización de un encargado."))
        self.reason_label.setObjectName("overrideReason")
        self.reason_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reason_label.setWordWrap(True)
        layout.addWidget(self.reason_label)
        self.amount_label = QLabel("")
        self.amount_label.setObjectName("overrideAmount")
        self.amount_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        amount_font = self.amount_label.font()
        amount_font.setPointSizeF(amount_font.pointSizeF() * 1.3)
        amount_font.setBold(True)
        self.amount_label.setFont(amount_font)
        self.amount_label.hide()
        layout.addWidget(self.amount_label)
        self.panel = StaffPinPanel(self)
        self.panel.ok_button.setText(self.tr("Autorizar"))
        self.panel.pin_submitted.connect(self._on_panel_pin_submitted)
        self.panel.person_picked.connect(lambda _id: self.panel.show_message("", "info"))
        layout.addWidget(self.panel, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton(self.tr("Cancelar"))
        self.cancel_button.setObjectName("overrideCancelButton")
        self.cancel_button.setMinimumHeight(48)
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.reject)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)

        def load() -> tuple[list[StaffMember], StaffLimits]:
            return staff.managers(), staff.limits()

        self._runner.run_db(load, self._on_loaded, self._on_failed)

    def _on_loaded(self, loaded: tuple[list[StaffMember], StaffLimits]) -> None:
        managers, limits = loaded
        request = self._request
        reason = request.reason
        limit = ""
        asked = ""
        if reason == "percent_above_limit":
            limit = str(limits.max_discount_percent).replace(".", ",")
            asked = f"{request.percent.replace('.', ',')} %" if request.percent else ""
        elif reason == "amount_above_limit":
            cents = limits.max_discount_cents
            if request.action == Action.REFUND.value:
                cents = limits.max_refund_cents
            limit = self._money(cents)
        if not asked and request.cents:
            asked = self._money(request.cents)
        why = describe_approval_reason(reason, limit)
        if why:
            self.reason_label.setText(
                self.tr("Necesita la autorización de un encargado: {why}.").format(why=why)
            )
        if asked:
            self.amount_label.setText(self.tr("Solicitado: {amount}").format(amount=asked))
            self.amount_label.show()
        self.panel.set_people(managers)
        if len(managers) == 1:
            self.panel.pick(managers[0].staff_id)

    def _money(self, cents: int) -> str:
        return self._fmt.money(cents) if self._fmt is not None else f"{cents / 100:.2f}"

    def _on_panel_pin_submitted(self, staff_id: str, pin: str) -> None:
        self.panel.set_busy(True)
        staff, request = self._staff, self._request
        self._runner.run_db(
            lambda: staff.approve(staff_id, pin, Action(request.action), request.detail),
            self._on_approved,
            self._on_failed,
        )

    def _on_approved(self, approval: Approval) -> None:
        self.panel.set_busy(False)
        self.approval = approval
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.panel.set_busy(False)
        QApplication.beep()
        self.panel.show_message(describe_error(exc))

    routes_scans = True

    def take_scan(self, _code: str) -> None:
        QApplication.beep()


def open_override(
    parent: QWidget,
    runner: Runner,
    staff: StaffService,
    request: ManagerApprovalRequired,
    formatter: Formatter,
    on_finished: Callable[[Approval | None], None],
) -> OverrideDialog:
    """Open (window-modal, deleted on close) the manager's approval of ``request``;
    ``on_finished`` gets the approval, or None when it was cancelled."""
    dialog = OverrideDialog(runner, staff, request, parent, formatter=formatter)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished(result: int) -> None:
        accepted = result == QDialog.DialogCode.Accepted
        on_finished(dialog.approval if accepted else None)

    dialog.finished.connect(finished)
    dialog.open()
    return dialog
