"""The part the sign-in screen and the manager override share: people as large buttons, then
a PIN pad (digits shown as dots; the physical keyboard's digits and Enter work too)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pos_app.services.ports import StaffMember
from sync.pins import PIN_MAX


class StaffPinPanel(QWidget):
    """Pick a person, then type their PIN; ``pin_submitted(staff_id, pin)`` on Enter/OK."""

    pin_submitted = Signal(str, str)
    person_picked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._people: list[StaffMember] = []
        self.picked: StaffMember | None = None
        self._stack = QStackedWidget()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack, 1)
        self.message_label = QLabel("")
        self.message_label.setObjectName("pinMessage")
        self.message_label.setWordWrap(True)
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setMinimumHeight(44)
        layout.addWidget(self.message_label)

        self._people_page = QWidget()
        people = QVBoxLayout(self._people_page)
        self._people_grid = QGridLayout()
        self._people_grid.setSpacing(10)
        people.addLayout(self._people_grid)
        people.addStretch(1)  # the buttons stay together at the top
        self._stack.addWidget(self._people_page)

        pad_page = QWidget()
        pad = QVBoxLayout(pad_page)
        self.who_label = QLabel("")
        self.who_label.setObjectName("pinWho")
        self.who_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.who_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.who_label.setFont(font)
        pad.addWidget(self.who_label)
        self.pin_field = QLineEdit()
        self.pin_field.setObjectName("pinField")
        self.pin_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_field.setMaxLength(PIN_MAX)
        self.pin_field.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pin_field.setMinimumHeight(56)
        pin_font = self.pin_field.font()
        pin_font.setPointSizeF(pin_font.pointSizeF() * 1.8)
        self.pin_field.setFont(pin_font)
        self.pin_field.setValidator(QRegularExpressionValidator(r"\d{0,8}", self.pin_field))
        self.pin_field.returnPressed.connect(self._on_ok_clicked)
        pad.addWidget(self.pin_field)
        keys = QGridLayout()
        keys.setSpacing(8)
        for i, digit in enumerate("123456789"):
            keys.addWidget(self._key(digit, lambda _=False, d=digit: self._type(d)), i // 3, i % 3)
        self.clear_button = self._key(self.tr("Borrar"), lambda: self.pin_field.clear())
        self.clear_button.setObjectName("pinClearButton")
        keys.addWidget(self.clear_button, 3, 0)
        keys.addWidget(self._key("0", lambda: self._type("0")), 3, 1)
        self.ok_button = self._key(self.tr("Entrar"), self._on_ok_clicked)
        self.ok_button.setObjectName("pinOkButton")
        keys.addWidget(self.ok_button, 3, 2)
        pad.addLayout(keys)
        back_row = QHBoxLayout()
        self.back_button = QPushButton(self.tr("← Otra persona"))
        self.back_button.setObjectName("pinBackButton")
        self.back_button.setMinimumHeight(44)
        self.back_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.back_button.clicked.connect(self.show_people)
        back_row.addWidget(self.back_button)
        back_row.addStretch(1)
        pad.addLayout(back_row)
        self._pad_page = pad_page
        self._stack.addWidget(pad_page)

    def _key(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setMinimumSize(96, 60)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the PIN field keeps the keyboard
        button.clicked.connect(slot)
        return button

    def _type(self, digit: str) -> None:
        if len(self.pin_field.text()) < PIN_MAX:
            self.pin_field.insert(digit)
        self.pin_field.setFocus()

    def set_people(self, people: list[StaffMember]) -> None:
        self._people = list(people)
        while self._people_grid.count():
            item = self._people_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        columns = 3 if len(people) > 4 else 2
        for i, member in enumerate(people):
            button = QPushButton(member.name)
            button.setObjectName(f"person_{member.staff_id}")
            button.setProperty("role", member.role.value)
            button.setMinimumSize(200, 80)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, m=member: self.pick(m.staff_id))
            self._people_grid.addWidget(button, i // columns, i % columns)
        if not people:
            self._people_grid.addWidget(QLabel(self.tr("No hay nadie que pueda hacerlo.")), 0, 0)
        self.show_people()

    def person_button(self, staff_id: str) -> QPushButton | None:
        return self._people_page.findChild(QPushButton, f"person_{staff_id}")

    def pick(self, staff_id: str) -> None:
        member = next((m for m in self._people if m.staff_id == staff_id), None)
        if member is None:
            return
        self.picked = member
        self.who_label.setText(self.tr("{name}: escriba su PIN").format(name=member.name))
        self.pin_field.clear()
        self._stack.setCurrentWidget(self._pad_page)
        self.pin_field.setFocus()
        self.person_picked.emit(staff_id)

    def show_people(self) -> None:
        self.picked = None
        self.pin_field.clear()
        self._stack.setCurrentWidget(self._people_page)

    def _on_ok_clicked(self) -> None:
        pin = self.pin_field.text()
        if self.picked is None or not pin:
            return
        self.pin_submitted.emit(self.picked.staff_id, pin)

    def set_busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)
        self.pin_field.setReadOnly(busy)

    def show_message(self, text: str, kind: str = "error") -> None:
        self.message_label.setText(text)
        self.message_label.setProperty("kind", kind)
        self.message_label.style().unpolish(self.message_label)
        self.message_label.style().polish(self.message_label)
        if kind == "error":
            self.pin_field.clear()
            self.pin_field.setFocus()
