"""Small helpers shared by the screens."""

from __future__ import annotations

import weakref
from collections.abc import Callable

from PySide6.QtWidgets import QTableView

COLUMN_PADDING = 16  # px


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
