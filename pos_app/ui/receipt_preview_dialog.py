"""A receipt as it prints, on screen: monospace, read-only, as wide as the paper.

``make_receipt_view`` builds the text box; the sales history dialog shows one too.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetrics, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

RECEIPT_WIDTH = 48  # characters per line on 80 mm paper
TOUCH_HEIGHT = 48  # px: the smallest button a finger hits reliably
RECEIPT_POINT_SIZE = 11
_READABLE_POINT_SIZE = 12


def receipt_font(point_size: int = RECEIPT_POINT_SIZE) -> QFont:
    """The system's fixed-pitch font at a size that reads well on a register screen."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSize(point_size)
    return font


def make_receipt_view(
    parent: QWidget | None = None,
    width: int = RECEIPT_WIDTH,
    point_size: int = RECEIPT_POINT_SIZE,
) -> QPlainTextEdit:
    """A read-only, unwrapped monospace box just wide enough for ``width`` characters."""
    view = QPlainTextEdit(parent)
    view.setObjectName("receiptPreview")
    view.setReadOnly(True)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    view.setFont(receipt_font(point_size))
    view.setFrameShape(QFrame.Shape.StyledPanel)
    palette = view.palette()  # paper: black on white whatever the desktop theme
    palette.setColor(QPalette.ColorRole.Base, QColor("white"))
    palette.setColor(QPalette.ColorRole.Text, QColor("black"))
    view.setPalette(palette)
    view.ensurePolished()  # measure the font the application's style sheet may have set
    metrics = QFontMetrics(view.font())
    chrome = (
        2 * view.frameWidth()
        + 2 * int(view.document().documentMargin())
        + view.verticalScrollBar().sizeHint().width()
        + metrics.horizontalAdvance("MM")  # the cursor, and fonts whose advances round up
    )
    view.setMinimumWidth(metrics.horizontalAdvance("M" * width) + chrome)
    return view


def set_receipt_text(view: QPlainTextEdit, text: str) -> None:
    """Show ``text`` without the blank feed lines a receipt ends with before the cut."""
    view.setPlainText(text.rstrip("\n"))


class ReceiptPreviewDialog(QDialog):
    """Shows ``text`` (a receipt rendered by ``ReceiptService.preview_text``). Closes with
    Escape, Enter or "Cerrar"."""

    def __init__(self, text: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        font = self.font()
        if font.pointSize() < _READABLE_POINT_SIZE:
            font.setPointSize(_READABLE_POINT_SIZE)
            self.setFont(font)
        self.preview = make_receipt_view(self)
        set_receipt_text(self.preview, text)
        self.close_button = QPushButton(self.tr("Cerrar (Esc)"), self)
        self.close_button.setObjectName("closeButton")
        self.close_button.setMinimumHeight(TOUCH_HEIGHT)
        self.close_button.setDefault(True)
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(buttons)
        margins = layout.contentsMargins()
        width = self.preview.minimumWidth() + margins.left() + margins.right()
        self.setMinimumSize(width, 360)
        lines = max(self.preview.blockCount(), 20)
        height = min(QFontMetrics(self.preview.font()).lineSpacing() * lines + 40, 720)
        self.resize(width, height + TOUCH_HEIGHT + 40)
