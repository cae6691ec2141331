"""The background sync loop of a register: never on the Qt main thread.

It pushes right after each commit (``request_push``), pulls on an interval and on demand, backs
off exponentially with jitter while the backend is away, and stops cleanly. Network calls run on
its own thread; every database step goes through ``run_db``, the single database writer that the
checkout also uses, so a long first sync is a series of short transactions between sales.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from pos_app.failpoints import failpoint
from pos_app.services.pull_pages import pull_pages
from pos_app.services.sync import SyncGateway, SyncService, SyncStatus
from sync.errors import SyncError, SyncErrorKind
from sync.protocol import DEFAULT_PULL_LIMIT

log = logging.getLogger(__name__)
T = TypeVar("T")

# Closing a gap renumbers the outbox so that the next push is taken; a backend that still
# answers a gap after that is not to be chased for ever.
MAX_GAPS_CLOSED = 3

RunDb = Callable[[Callable[[], Any]], Any]
StatusListener = Callable[[SyncStatus], None]


class SyncWorker:
    def __init__(
        self,
        service: SyncService,
        gateway: SyncGateway,
        run_db: RunDb,
        *,
        pull_interval: float = 5.0,
        pull_limit: int = DEFAULT_PULL_LIMIT,
        max_backoff: float = 60.0,
        on_status: StatusListener | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._service = service
        self._gateway = gateway
        self._run_db = run_db
        self._pull_interval = pull_interval
        self._pull_limit = pull_limit
        self._max_backoff = max_backoff
        self._on_status = on_status
        self._rng = rng or random.Random()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._push_wanted = True
        self._pull_wanted = True
        self._thread: threading.Thread | None = None
        self._failures = 0
        self.online: bool | None = None
        self.cycles = 0  # completed loop turns, for tests and diagnostics

    # --- control (any thread) ----------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop, name="mostrador-sync", daemon=True)
        self._thread.start()

    def request_push(self) -> None:
        self._push_wanted = True
        self._wake.set()

    def request_pull(self) -> None:
        self._pull_wanted = True
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the step under way (a push whose answer is arriving is recorded), then end."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # --- the loop ----------------------------------------------------------------------------
    def _db(self, fn: Callable[[], T]) -> T:
        result: T = self._run_db(fn)
        return result

    def _publish(self, **extra: Any) -> None:
        if self._on_status is None:
            return
        try:
            status = self._db(lambda: self._service.status(online=self.online))
            if extra:
                status = replace(status, **extra)
            self._on_status(status)
        except Exception:
            log.exception("could not publish the sync status")

    def _loop(self) -> None:
        self._publish()
        while not self._stop.is_set():
            delay = self._pull_interval
            try:
                self._cycle()
                self._failures = 0
                self.online = True
            except SyncError as exc:
                self._failures += 1
                self.online = False if exc.kind is SyncErrorKind.NETWORK else True
                log.warning("sync failed (%s); attempt %d", exc, self._failures)
                self._safe_record_error(str(exc))
                delay = self._backoff()
            except Exception as exc:  # a bug or a database error: logged, retried later
                self._failures += 1
                log.exception("sync cycle failed")
                self._safe_record_error(f"{type(exc).__name__}: {exc}")
                delay = self._backoff()
            self.cycles += 1
            self._publish()
            if self._stop.is_set():
                break
            self._wake.wait(delay)
            self._wake.clear()
            self._pull_wanted = True  # every wake-up also looks for news

    def _backoff(self) -> float:
        base: float = min(self._max_backoff, 0.5 * float(2 ** min(self._failures, 10)))
        return base * (0.5 + self._rng.random() / 2)  # "equal jitter": never below half

    def _safe_record_error(self, message: str) -> None:
        try:
            self._db(lambda: self._service.record_error(message))
        except Exception:
            log.exception("could not record the sync error")

    def _cycle(self) -> None:
        if self._push_wanted:
            self._push_wanted = False
            try:
                self.push_all()
            except BaseException:
                self._push_wanted = True  # try again next time
                raise
        if self._pull_wanted and not self._stop.is_set():
            self._pull_wanted = False
            try:
                self.pull_all()
            except BaseException:
                self._pull_wanted = True
                raise

    def push_all(self) -> int:
        """Push until the outbox is empty.

        When the backend expects a number this register no longer has (the outbox starts above
        it), ``record_push`` renumbers the pending events to follow on from it and the push goes
        on; a gap that is still there after that stops the push with a ``gap`` error."""
        acknowledged = 0
        gaps_closed = 0
        while not self._stop.is_set():
            batch = self._db(self._service.next_batch)
            if not batch:
                break
            failpoint("push.before_send")
            response = self._gateway.push(batch)
            failpoint("push.after_answer")
            recorded = self._db(lambda r=response: self._service.record_push(r))  # type: ignore[misc]
            failpoint("push.after_mark")
            acknowledged += recorded.acknowledged
            self.online = True
            if recorded.missing and gaps_closed < MAX_GAPS_CLOSED:
                gaps_closed += 1
                continue  # renumbered to follow on from the expected number: push again
            if recorded.acknowledged == 0:
                # A gap the backend reported and we cannot fill from the outbox: do not spin.
                raise SyncError(
                    SyncErrorKind.PROTOCOL,
                    f"the backend expects event {recorded.expected_seq}, which this register "
                    "no longer has",
                    code="gap",
                )
        return acknowledged

    def pull_all(self) -> int:
        """Pull and apply pages until the backend has no more (the next page downloads while
        this one is applied), or until the worker is stopped."""
        applied = 0
        if self._stop.is_set():
            return applied
        pages = pull_pages(
            lambda cursor: self._gateway.pull(cursor, self._pull_limit),
            self._db(self._service.cursor),
            ahead=lambda: not self._stop.is_set(),
        )
        for page in pages:
            # Each part is its own job for the database writer: a sale rung up meanwhile waits
            # for one part (tens of milliseconds), not for the whole page.
            for part in self._service.chunks(page):
                applied += self._db(lambda p=part: self._service.apply_changes(p))  # type: ignore[misc]
            self._db(lambda r=page: self._service.finish_pull(r))  # type: ignore[misc]
            self.online = True
            if page.has_more:
                self._publish(pulling=True, pulled_changes=applied)
        return applied
