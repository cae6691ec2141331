"""The sign-in and lock screen: who is at the register. The active staff as large buttons, then
their PIN. The PIN is checked on the database worker (scrypt is slow on purpose), never on the
GUI thread. It cannot be dismissed: the register stays locked until someone signs in."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout, QWidget

from pos_app.services.ports import StaffMember
from pos_app.services.staff import StaffService, StaffSession
from pos_app.ui.error_messages import describe_error
from pos_app.ui.staff_pin_panel import StaffPinPanel
from pos_app.ui.task_runner import Runner


class SignInDialog(QDialog):
    signed_in = Signal(object)  # StaffSession
    sign_in_failed = Signal(object)  # the exception (wrong PIN, locked...)

    def __init__(
        self,
        runner: Runner,
        staff: StaffService,
        parent: QWidget | None = None,
        *,
        cart_note: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self._runner = runner
        self._staff = staff
        self.session: StaffSession | None = None
        self.setWindowTitle(self.tr("Caja bloqueada — identifíquese"))
        self.setMinimumWidth(640)
        layout = QVBoxLayout(self)
        title = QLabel(self.tr("¿Quién está en la caja?"))
        title.setObjectName("dialogTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)
        self.note_label = QLabel(cart_note)
        self.note_label.setObjectName("cartNote")
        self.note_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(bool(cart_note))
        layout.addWidget(self.note_label)
        self.panel = StaffPinPanel(self)
        self.panel.pin_submitted.connect(self._on_panel_pin_submitted)
        self.panel.person_picked.connect(lambda _id: self.panel.show_message("", "info"))
        layout.addWidget(self.panel, 1)
        self._runner.run_db(staff.staff_list, self._on_staff_loaded, self._on_load_failed)

    def _on_staff_loaded(self, people: list[StaffMember]) -> None:
        self.panel.set_people(people)

    def _on_load_failed(self, exc: BaseException) -> None:
        self.panel.show_message(describe_error(exc))

    def _on_panel_pin_submitted(self, staff_id: str, pin: str) -> None:
        self.panel.set_busy(True)
        self.panel.show_message(self.tr("Comprobando…"), "info")
        staff = self._staff
        self._runner.run_db(
            lambda: staff.sign_in(staff_id, pin), self._on_signed_in, self._on_failed
        )

    def _on_signed_in(self, session: StaffSession) -> None:
        self.panel.set_busy(False)
        self.session = session
        self.signed_in.emit(session)
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self.panel.set_busy(False)
        QApplication.beep()
        self.panel.show_message(describe_error(exc))
        self.sign_in_failed.emit(exc)

    # --- a lock screen stays up ----------------------------------------------------------
    routes_scans = True

    def take_scan(self, _code: str) -> None:
        QApplication.beep()
        self.panel.show_message(self.tr("Identifíquese antes de escanear."))

    def reject(self) -> None:
        """Escape does not unlock the register."""
