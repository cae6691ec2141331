"""Small helpers shared by the screens."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

COLUMN_PADDING = 16  # px
TOUCH_HEIGHT = 48  # px: the smallest button a finger hits reliably


def set_banner(label: QLabel, text: str, kind: str) -> None:
    """Show ``text`` in a message label styled by its ``kind`` (info, success, error)."""
    label.setText(text)
    label.setProperty("kind", kind)
    label.style().unpolish(label)
    label.style().polish(label)


def touch_button(text: str, name: str) -> QPushButton:
    """A large button that never takes the focus from the field being scanned into."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setMinimumHeight(TOUCH_HEIGHT + 8)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button


ROW_HEIGHT = 44  # px: a table row a finger can pick
READABLE_POINT_SIZE = 12

ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

RowT = TypeVar("RowT")
_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class RowTableModel(QAbstractTableModel, Generic[RowT]):
    """A read-only table with one immutable value a row; ``set_rows`` replaces them all.

    A subclass says what the columns are called (``headers``, written with ``self.tr("...")``
    literals so that lupdate files them under the subclass's name) and what a cell shows
    (``display``); it may align a column (``alignment``) and give a cell a tooltip
    (``tooltip``). ``ALIGN_HEADERS`` aligns each header section as its column.
    """

    ALIGN_HEADERS: ClassVar[bool] = False

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[RowT, ...] = ()
        self._headers = self.headers()

    # --- what a subclass says (abstract: Qt's metaclass does not mix with ABCMeta) ---------
    def headers(self) -> tuple[str, ...]:
        """The column titles, translated; read once, when the model is made."""
        raise NotImplementedError

    def display(self, row: RowT, column: int) -> str | None:
        """The text of ``column`` for the value ``row``."""
        raise NotImplementedError

    def alignment(self, column: int) -> Any:
        """The text alignment of ``column``; ``None`` leaves it to the view."""
        return None

    def tooltip(self, row: RowT, column: int) -> str | None:
        return None

    # --- reading and replacing the rows -------------------------------------------------
    def set_rows(self, rows: Iterable[RowT]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    def row_at(self, row: int) -> RowT:
        return self._rows[row]

    def row_or_none(self, row: int) -> RowT | None:
        """The value at ``row``, or ``None`` where there is no such row."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> tuple[RowT, ...]:
        return self._rows

    # --- QAbstractTableModel --------------------------------------------------------------
    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.alignment(column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        return None

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._headers):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and self.ALIGN_HEADERS:
            return self.alignment(section)
        return None


def ensure_readable_font(widget: QWidget) -> None:
    """Raise ``widget``'s font to ``READABLE_POINT_SIZE`` where it is smaller."""
    font = widget.font()
    if font.pointSize() < READABLE_POINT_SIZE:
        font.setPointSize(READABLE_POINT_SIZE)
        widget.setFont(font)


def make_touch_table_view(
    model: QAbstractItemModel,
    parent: QWidget,
    *,
    object_name: str,
    stretch_column: int,
) -> QTableView:
    """A read-only list to pick one row from by finger or keyboard: whole rows, one at a time,
    tall rows, no row numbers, Tab leaves the table; ``stretch_column`` takes the spare width."""
    view = QTableView(parent)
    view.setObjectName(object_name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    header = view.horizontalHeader()
    header.setMinimumHeight(ROW_HEIGHT)
    header.setHighlightSections(False)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
    return view


def fit_columns(view: QTableView, stretch_column: int) -> None:
    """Size every column but ``stretch_column`` to its contents plus some air between them."""
    header = view.horizontalHeader()
    for column in range(header.count()):
        if column != stretch_column:
            view.resizeColumnToContents(column)
            header.resizeSection(column, header.sectionSize(column) + COLUMN_PADDING)


def weak_callback(method: Callable[..., None], *bound: object) -> Callable[..., None]:
    """A runner callback that does not keep its dialog alive: an answer that arrives after the
    dialog closed does nothing."""
    ref = weakref.WeakMethod(method)

    def call(*args: object) -> None:
        target = ref()
        if target is not None:
            target(*bound, *args)

    return call
