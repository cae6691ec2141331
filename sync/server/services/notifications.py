"""Customer notifications: an outbox in the database, delivered at least once.

A change that the customer must hear of (an order ready, with the lines that were not found;
cancelled; expired) writes a row to ``notifications`` in its own transaction
(``orders.write_order_changes``), with a stable id. ``deliver_due`` sends the rows that are due
through a ``Notifier``:

1. claim: in a short transaction, the due rows get ``next_attempt_at = now + lease`` (on
   PostgreSQL ``FOR UPDATE SKIP LOCKED``), so two server processes do not send one at once;
2. send, outside any transaction;
3. record: delivered, or the next attempt after a backoff that doubles from ``retry_first``
   to ``retry_max``.

A process that stops between 1 and 3 leaves the row claimed until the lease runs out, then any
process sends it again: a receiver may see a notification twice (at least once), and drops the
repeat by its id. None is lost: rows leave only by being delivered.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import httpx
from sqlalchemy import select, update

from sync.server.database import Database
from sync.server.tables import notifications

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
BATCH = 50
NOTIFICATION_HEADER = "X-Mostrador-Notification-Id"


class DeliveryFailed(Exception):
    """A notification was not accepted; it will be sent again later."""


class Notifier(Protocol):
    def send(self, notification: dict[str, Any]) -> None:
        """Deliver one notification, or raise ``DeliveryFailed``."""


class LogNotifier:
    """The demo's notifier: one line in the log per notification."""

    def send(self, notification: dict[str, Any]) -> None:
        missing = notification.get("missing") or []
        log.info(
            "notification %s: order %s %s for %s%s",
            notification.get("id"),
            notification.get("number"),
            notification.get("kind"),
            (notification.get("customer") or {}).get("name", "?"),
            f" ({len(missing)} line(s) missing)" if missing else "",
        )


class WebhookNotifier:
    """POSTs each notification as JSON to ``url``; any answer but 2xx is a failure."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url
        self._http = httpx.Client(
            timeout=timeout,
            transport=transport,
            headers={"User-Agent": "mostrador-server"},
        )

    def close(self) -> None:
        self._http.close()

    def send(self, notification: dict[str, Any]) -> None:
        try:
            response = self._http.post(
                self.url,
                json=notification,
                headers={NOTIFICATION_HEADER: str(notification.get("id", ""))},
            )
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from exc
        if not 200 <= response.status_code < 300:
            raise DeliveryFailed(f"the webhook answered HTTP {response.status_code}")


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    delivered: int
    failed: int


def _backoff(attempts: int, first: float, longest: float) -> timedelta:
    return timedelta(seconds=min(first * 2 ** max(attempts - 1, 0), longest))


def deliver_due(
    db: Database,
    notifier: Notifier,
    *,
    now: datetime,
    retry_first: float = 2.0,
    retry_max: float = 600.0,
    batch: int = BATCH,
) -> DeliveryResult:
    """Send the notifications due at ``now`` (one batch)."""

    def claim() -> list[tuple[str, str, int]]:
        with db.writing() as conn:
            query = (
                select(notifications.c.id, notifications.c.payload, notifications.c.attempts)
                .where(
                    notifications.c.delivered_at.is_(None),
                    notifications.c.next_attempt_at <= now,
                )
                .order_by(notifications.c.next_attempt_at, notifications.c.id)
                .limit(batch)
            )
            if db.is_postgres:
                query = query.with_for_update(skip_locked=True)
            rows = [(r.id, r.payload, int(r.attempts)) for r in conn.execute(query)]
            if rows:
                conn.execute(
                    update(notifications)
                    .where(notifications.c.id.in_([r[0] for r in rows]))
                    .values(next_attempt_at=now + LEASE)
                )
            return rows

    claimed = db.retrying(claim, what="notifications claim")
    delivered = failed = 0
    for notification_id, payload, attempts in claimed:
        error: str | None = None
        try:
            notifier.send(json.loads(payload))
        except DeliveryFailed as exc:
            error = str(exc)
        except Exception as exc:  # a notifier's bug must not stop the others
            log.exception("notifier failed on notification %s", notification_id)
            error = f"{type(exc).__name__}: {exc}"
        done = attempts + 1
        if error is None:
            values: dict[str, Any] = {"delivered_at": now, "attempts": done, "last_error": None}
            delivered += 1
        else:
            wait = _backoff(done, retry_first, retry_max)
            values = {"attempts": done, "next_attempt_at": now + wait, "last_error": error[:500]}
            failed += 1
            log.warning(
                "notification %s not delivered (attempt %d): %s; next try in %.0f s",
                notification_id,
                done,
                error,
                wait.total_seconds(),
            )

        def record(values: dict[str, Any] = values, notification_id: str = notification_id) -> None:
            with db.writing() as conn:
                conn.execute(
                    update(notifications)
                    .where(notifications.c.id == notification_id)
                    .values(**values)
                )

        db.retrying(record, what="notification record")
    return DeliveryResult(delivered, failed)
