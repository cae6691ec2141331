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

from PySide6.QtCore import QObject, Qt, Signal

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


class _Job:
    """What the worker thread holds: the function, dropped before the result is announced, so
    nothing the function captured (a widget, say) is ever released on the worker thread."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.fn: Callable[[], Any] | None = fn

    def __call__(self) -> Any:
        fn, self.fn = self.fn, None
        assert fn is not None
        return fn()


class TaskRunner(QObject):
    """The application's runner. ``idle`` tells tests (and shutdown) when nothing is pending.

    Callbacks stay on the GUI side (in ``_pending``) and are called and released there; the
    worker only sees a ``_Job`` and a task number, and the result always arrives through a
    queued signal, never inside ``run_db`` itself.
    """

    _delivered = Signal(int, object)

    def __init__(
        self, parent: QObject | None = None, *, db_executor: ThreadPoolExecutor | None = None
    ) -> None:
        super().__init__(parent)
        self._owns_db = db_executor is None
        self._db = db_executor or ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="mostrador-db"
        )
        self._io = ThreadPoolExecutor(max_workers=2, thread_name_prefix="mostrador-io")
        self._pending: dict[int, tuple[Callable[[], Any], Any, Any]] = {}
        self._next_id = 0
        self._closed = False
        self._delivered.connect(self._on_delivered, Qt.ConnectionType.QueuedConnection)

    @property
    def idle(self) -> bool:
        return not self._pending

    @property
    def db_executor(self) -> ThreadPoolExecutor:
        """The single database worker, shared with other writers (the sync worker)."""
        return self._db

    def _submit(
        self,
        pool: ThreadPoolExecutor,
        fn: Callable[[], T],
        on_success: Callable[[T], None] | None,
        on_error: ErrorCallback | None,
    ) -> None:
        if self._closed:
            # The app is closing: a follow-up step (the print log after a print) that arrives
            # now is dropped, with a trace, rather than failing the shutdown.
            log.warning("task dropped at shutdown: %r", fn)
            return
        self._next_id += 1
        task_id = self._next_id
        self._pending[task_id] = (fn, on_success, on_error)
        delivered = self._delivered

        def done(future: Future[Any]) -> None:
            delivered.emit(task_id, future)

        pool.submit(_Job(fn)).add_done_callback(done)

    def _on_delivered(self, task_id: int, future: Future[Any]) -> None:
        entry = self._pending.pop(task_id, None)
        if entry is None:
            return
        _fn, on_success, on_error = entry
        exc = future.exception()
        if exc is not None:
            (on_error or _default_error)(exc)
        elif on_success is not None:
            on_success(future.result())

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
        self._closed = True
        if self._owns_db:
            self._db.shutdown(wait=True)
        else:  # shared with the sync worker: its owner (the register) shuts it down
            self._db.submit(lambda: None).result()
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
