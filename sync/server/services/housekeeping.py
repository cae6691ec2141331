"""The background work of a serving process: deliver customer notifications, expire orders.

One thread per process (``Housekeeper``), started and stopped by the app's lifespan. Every
``deliver_every`` seconds (or at once when woken after a commit that wrote notifications) it
sends what is due; every ``expire_every`` seconds it expires the orders whose time is up. Both
are cheap when there is nothing to do: one indexed read. Several processes may run it on one
database: claims and row locks keep them from doing the same work twice, and a repeat is
harmless anyway (an order expires once; a notification is sent at least once).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

from sync.server.core.config import ServerSettings
from sync.server.database import Database
from sync.server.services._sql import utcnow
from sync.server.services.notifications import Notifier, deliver_due
from sync.server.services.orders import expire_orders

log = logging.getLogger(__name__)


def expire_due_orders(db: Database, *, now: datetime) -> list[str]:
    """Expire every open order whose time is up at ``now``, in batches; their numbers."""
    expired: list[str] = []
    while True:

        def work() -> list[str]:
            with db.writing() as conn:
                return expire_orders(conn, now=now)

        batch = db.retrying(work, what="order expiry")
        expired.extend(batch)
        if not batch:
            return expired


class Housekeeper:
    def __init__(
        self,
        db: Database,
        notifier: Notifier,
        settings: ServerSettings,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._db = db
        self._notifier = notifier
        self._settings = settings
        self._clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="housekeeper", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """Look at the notifications now (a commit just wrote some)."""
        self._wake.set()

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def _run(self) -> None:
        next_expiry = time.monotonic()
        while not self._stop.is_set():
            try:
                if time.monotonic() >= next_expiry:
                    next_expiry = time.monotonic() + self._settings.expire_every
                    expired = expire_due_orders(self._db, now=self._clock())
                    if expired:
                        log.info("expired %d order(s): %s", len(expired), ", ".join(expired[:20]))
                while not self._stop.is_set():
                    result = deliver_due(
                        self._db,
                        self._notifier,
                        now=self._clock(),
                        retry_first=self._settings.retry_first,
                        retry_max=self._settings.retry_max,
                    )
                    if result.delivered + result.failed == 0 or result.failed:
                        break
            except Exception:  # never let the thread die: log, and try again next time
                log.exception("housekeeping failed; trying again later")
            self._wake.wait(self._settings.deliver_every)
            self._wake.clear()
