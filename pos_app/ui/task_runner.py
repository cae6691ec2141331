"""Running work off the GUI thread, results back on it.

One worker thread runs every database call (SQLite has one writer, and the checkout service
keeps the cart: one thread means one order of events); a small pool runs slow I/O such as
printing. Success and error callbacks always arrive on the GUI thread; a worker never swallows an
exception, it hands it to the error callback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)
T = TypeVar("T")

SuccessCallback = Callable[[Any], None]
ErrorCallback = Callable[[BaseException], None]


class Runner(Protocol):
    def run_db(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = ...,
        on_error: ErrorCallback | None = ...,
    ) -> None: ...

    def run_io(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = ...,
        on_error: ErrorCallback | None = ...,
    ) -> None: ...


def _default_error(exc: BaseException) -> None:
    log.error("background task failed", exc_info=exc)


class TaskRunner(QObject):
    """The application's runner. ``idle`` tells tests (and shutdown) when nothing is pending."""

    _delivered = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mostrador-db")
        self._io = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mostrador-io")
        self._pending = 0
        self._delivered.connect(self._on_delivered)

    @property
    def idle(self) -> bool:
        return self._pending == 0

    def _submit(
        self,
        pool: ThreadPoolExecutor,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None,
        on_error: ErrorCallback | None,
    ) -> None:
        self._pending += 1

        def done(future: Future[T]) -> None:
            self._delivered.emit(lambda: self._finish(future, on_success, on_error))

        pool.submit(fn).add_done_callback(done)

    def _finish(
        self,
        future: Future[T],
        on_success: Callable[[T], None] | None,
        on_error: ErrorCallback | None,
    ) -> None:
        self._pending -= 1
        exc = future.exception()
        if exc is not None:
            (on_error or _default_error)(exc)
        elif on_success is not None:
            on_success(future.result())

    def _on_delivered(self, thunk: Callable[[], None]) -> None:
        thunk()

    def run_db(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        self._submit(self._db, fn, on_success, on_error)

    def run_io(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        self._submit(self._io, fn, on_success, on_error)

    def shutdown(self) -> None:
        """Finish what was started (a sale being committed must land), then stop."""
        self._db.shutdown(wait=True)
        self._io.shutdown(wait=True)


class SyncTaskRunner:
    """Runs everything at once in the calling thread: for presenter tests."""

    idle = True

    def _run(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None,
        on_error: ErrorCallback | None,
    ) -> None:
        try:
            result = fn()
        except Exception as exc:
            (on_error or _default_error)(exc)
            return
        if on_success is not None:
            on_success(result)

    def run_db(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        self._run(fn, on_success, on_error)

    def run_io(
        self,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None = None,
        on_error: ErrorCallback | None = None,
    ) -> None:
        self._run(fn, on_success, on_error)

    def shutdown(self) -> None:
        pass
