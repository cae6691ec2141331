"""Small dialogs for a number, a discount or a short text. Parsing is strict and in Decimal."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from pos_app.domain.cart import Discount
from pos_app.domain.errors import InvalidDiscount
from pos_app.domain.money import Money


def parse_decimal(text: str) -> Decimal | None:
    cleaned = text.strip().replace(" ", "").replace(",", ".")
    if not cleaned or cleaned.count(".") > 1:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class _FormDialog(QDialog):
    def __init__(self, title: str, prompt: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self._layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        self._layout.addWidget(label)
        self.field = QLineEdit()
        self.field.setObjectName("valueField")
        self.field.setMinimumHeight(48)
        self._error = QLabel("")
        self._error.setObjectName("errorLabel")
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        for button in self._buttons.buttons():
            button.setMinimumHeight(48)
        self._buttons.accepted.connect(self._on_ok)
        self._buttons.rejected.connect(self.reject)  # Enter presses OK, the default button

    def _finish_layout(self) -> None:
        self._layout.addWidget(self.field)
        self._layout.addWidget(self._error)
        self._layout.addWidget(self._buttons)
        self.field.setFocus()

    def show_error(self, text: str) -> None:
        self._error.setText(text)

    def _on_ok(self) -> None:
        """Subclasses check the value first; the base accepts whatever was typed."""
        self.accept()


class QuantityDialog(_FormDialog):
    """Asks for a new quantity: whole units, or kilograms with up to 3 decimals."""

    def __init__(self, current: Decimal, *, weighed: bool, parent: QWidget | None = None) -> None:
        prompt = (
            self.tr("Peso en kilogramos (hasta 3 decimales):")
            if weighed
            else self.tr("Nueva cantidad:")
        )
        super().__init__(self.tr("Cambiar cantidad"), prompt, parent)
        self._weighed = weighed
        self.value: Decimal | None = None
        self.field.setText(str(current).replace(".", ","))
        self.field.selectAll()
        self._finish_layout()

    def _on_ok(self) -> None:
        value = parse_decimal(self.field.text())
        if value is None or value <= 0 or (not self._weighed and value != value.to_integral()):
            self.show_error(self.tr("Escriba una cantidad mayor que cero."))
            return
        self.value = value
        self.accept()


class FoundQuantityDialog(_FormDialog):
    """How many of an item there are (picking a pickup order): 0 when none, up to ``maximum``."""

    def __init__(self, name: str, maximum: Decimal, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("Falta / incompleto"),
            self.tr("¿Cuántos hay de «{name}»? (0 si no hay ninguno; se pidieron {n})").format(
                name=name, n=f"{maximum.normalize():f}"
            ),
            parent,
        )
        self._maximum = maximum
        self.value: Decimal | None = None
        self.field.setText("0")
        self.field.selectAll()
        self._finish_layout()

    def _on_ok(self) -> None:
        value = parse_decimal(self.field.text())
        if value is None or value < 0 or value >= self._maximum or value != value.to_integral():
            self.show_error(
                self.tr("Escriba un número entero entre 0 y {n}.").format(
                    n=f"{(self._maximum - 1).normalize():f}"
                )
            )
            return
        self.value = value
        self.accept()


class DiscountDialog(_FormDialog):
    """A percent or an amount; "Quitar descuento" removes an existing one (value None)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, self.tr("Descuento en porcentaje o en euros:"), parent)
        self.discount: Discount | None = None
        row = QHBoxLayout()
        self.percent_button = QRadioButton(self.tr("Porcentaje (%)"))
        self.amount_button = QRadioButton(self.tr("Importe (€)"))
        self.percent_button.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.percent_button)
        group.addButton(self.amount_button)
        row.addWidget(self.percent_button)
        row.addWidget(self.amount_button)
        self._layout.addLayout(row)
        remove = QPushButton(self.tr("Quitar descuento"))
        remove.setObjectName("removeDiscountButton")
        remove.setMinimumHeight(48)
        remove.clicked.connect(self._on_remove)
        self._buttons.addButton(remove, QDialogButtonBox.ButtonRole.ResetRole)
        self._finish_layout()

    def _on_remove(self) -> None:
        self.discount = None
        self.accept()

    def _on_ok(self) -> None:
        try:
            if self.percent_button.isChecked():
                value = parse_decimal(self.field.text())
                if value is None:
                    raise InvalidDiscount("not a number")
                self.discount = Discount.percent(value)
            else:
                self.discount = Discount.amount(Money.parse(self.field.text()))
        except (InvalidDiscount, ValueError):
            self.show_error(
                self.tr("Escriba un porcentaje (hasta 100) o un importe mayor que cero.")
            )
            return
        self.accept()


class TextPromptDialog(_FormDialog):
    """A short text, optional or required."""

    def __init__(
        self, title: str, prompt: str, *, required: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(title, prompt, parent)
        self._required = required
        self.text = ""
        self.field.setMaxLength(120)
        self._finish_layout()

    def _on_ok(self) -> None:
        text = self.field.text().strip()
        if self._required and not text:
            self.show_error(self.tr("Este dato es obligatorio."))
            return
        self.text = text
        self.accept()
