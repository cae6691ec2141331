"""Sale cancellations at the backend (issue 8): ``sale.cancelled``, a completed sale annulled
at its register by a manager, with the journal's "anulacion" record (a ``fiscal.recorded`` of
its own, decided by ``journal.py`` like any record).

The push writer (``push.py``) decides a group's cancellations here, on ``CancellationGroup``,
in event order:

- the sale must be of the register that cancels it (a register annuls only its own tickets, of
  its open till): another register's sale is rejected ``wrong_store``;
- a sale already cancelled (by another cancellation) is rejected ``already_cancelled``; the same
  cancellation sent again in another event (a register enrolled again) is rejected
  ``duplicate_cancellation``: the first one stands. The same event sent again is a plain
  ``duplicate`` of the push's exactly-once rule;
- a sale the backend does not hold (its ``sale.completed`` was refused, or lost with a
  restored register database) is applied as a conflict ``cancelled_sale_unknown``: the
  cancellation is a fact, kept for a manager to look at, but no stock moves (the backend never
  took the sale's stock out) and nothing names the sale.

A cancellation taken marks its sale cancelled (a row of ``sale_cancellations``, unique per
sale: the sale row itself is never edited) and puts the sale's stock back at its store (a
movement ``cancellation`` per line, the opposite of the sale's). The Z check (``till.py``)
counts it in its till: the cancelled count and total, its refunds off the tenders, the sale's
taxes off the taxes.

The device row of the register is locked by the push writer before anything here is read; a
sale can only be cancelled by its own register, so no other lock is needed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, or_, select

from sync.protocol import SaleCancelledPayload, SaleCompletedPayload
from sync.server.services._sql import one_of
from sync.server.services.stock import to_milli
from sync.server.tables import sale_cancellations, sales

UNKNOWN_SALE = "cancelled_sale_unknown"


@dataclass(frozen=True, slots=True)
class HeldSale:
    sale: SaleCompletedPayload
    store_code: str
    register_code: str


@dataclass(frozen=True, slots=True)
class CancellationDecision:
    """A rejection (code, message), or the cancellation kept: its conflict (code, message) if
    any, the sale it annuls (None when unknown) and the stock to put back (product, milli)."""

    rejected: tuple[str, str] | None = None
    conflict: tuple[str, str] | None = None
    sale: SaleCompletedPayload | None = None
    stock_back: tuple[tuple[str, int], ...] = ()


@dataclass(slots=True)
class CancellationGroup:
    """The cancellations of one push group: read once, decided in event order, written once."""

    _sale_ids: set[str] = field(default_factory=set)
    _ids: set[str] = field(default_factory=set)
    held: dict[str, HeldSale] = field(default_factory=dict)  # sale id -> the sale held
    cancelled: dict[str, str] = field(default_factory=dict)  # sale id -> its cancellation
    taken_ids: set[str] = field(default_factory=set)  # cancellation ids held or taken
    rows: list[dict[str, Any]] = field(default_factory=list)

    def want(self, cancellation: SaleCancelledPayload | None) -> None:
        if cancellation is not None:
            self._sale_ids.add(cancellation.sale_id)
            self._ids.add(cancellation.cancellation_id)

    def load(self, conn: Connection) -> None:
        if not self._sale_ids:
            return
        sale_ids = sorted(self._sale_ids)
        for sale_id, store_code, register_code, text in conn.execute(
            select(sales.c.id, sales.c.store_code, sales.c.register_code, sales.c.payload).where(
                one_of(conn, sales.c.id, sale_ids)
            )
        ):
            self.held[sale_id] = HeldSale(
                SaleCompletedPayload.model_validate_json(text), store_code, register_code
            )
        for cancellation_id, sale_id in conn.execute(
            select(sale_cancellations.c.id, sale_cancellations.c.sale_id).where(
                or_(
                    one_of(conn, sale_cancellations.c.sale_id, sale_ids),
                    one_of(conn, sale_cancellations.c.id, sorted(self._ids)),
                )
            )
        ):
            self.cancelled[sale_id] = cancellation_id
            self.taken_ids.add(cancellation_id)

    def product_ids(self) -> set[str]:
        """The products of the sales held that this group's cancellations name."""
        return {line.product_id for held in self.held.values() for line in held.sale.lines}

    def take(
        self,
        *,
        device_id: str,
        store_code: str,
        register_code: str,
        cancellation: SaleCancelledPayload,
        in_group: HeldSale | None,
        event_id: str,
        payload_text: str,
        now: datetime,
    ) -> CancellationDecision:
        """Decide ``cancellation`` (``in_group``: its sale when taken earlier in this group)."""
        c = cancellation
        if c.cancellation_id in self.taken_ids:
            return CancellationDecision(
                rejected=(
                    "duplicate_cancellation",
                    f"cancellation {c.cancellation_id} of sale {c.receipt_number} was already "
                    "received in another event: the first one stands",
                )
            )
        if c.sale_id in self.cancelled:
            return CancellationDecision(
                rejected=(
                    "already_cancelled",
                    f"sale {c.receipt_number} was already cancelled (cancellation "
                    f"{self.cancelled[c.sale_id]}): the first cancellation stands",
                )
            )
        held = in_group or self.held.get(c.sale_id)
        if held is not None and (held.store_code, held.register_code) != (
            store_code,
            register_code,
        ):
            return CancellationDecision(
                rejected=(
                    "wrong_store",
                    f"sale {c.receipt_number} is of {held.store_code}/{held.register_code}; a "
                    f"register cancels only its own sales, this one is {store_code}/"
                    f"{register_code}",
                )
            )
        conflict = None
        stock_back: list[tuple[str, int]] = []
        if held is None:
            conflict = (
                UNKNOWN_SALE,
                f"sale {c.receipt_number} ({c.sale_id}) was cancelled at the register but this "
                "backend does not hold it (its sale.completed was refused or never arrived): "
                "the cancellation was kept and no stock moved; a manager must look",
            )
        else:
            for line in held.sale.lines:  # the opposite of the sale's own movements
                stock_back.append((line.product_id, to_milli(line.quantity)))
        self.cancelled[c.sale_id] = c.cancellation_id
        self.taken_ids.add(c.cancellation_id)
        self.rows.append(
            {
                "id": c.cancellation_id,
                "sale_id": c.sale_id,
                "store_code": store_code,
                "device_id": device_id,
                "register_code": register_code,
                "receipt_number": c.receipt_number,
                "till_id": c.till_id or None,
                "cashier": c.cashier,
                "approved_by": c.approved_by,
                "reason": c.reason,
                "total_cents": c.total_cents,
                "journal_record_id": c.journal_record_id,
                "conflict": conflict[0] if conflict else None,
                "cancelled_at": c.at,
                "event_id": event_id,
                "received_at": now,
                "payload": payload_text,
            }
        )
        return CancellationDecision(
            conflict=conflict,
            sale=held.sale if held is not None else None,
            stock_back=tuple(stock_back),
        )

    def write(self, conn: Connection) -> None:
        if self.rows:
            conn.execute(insert(sale_cancellations), self.rows)


def cancelled_sales(conn: Connection, sale_ids: Iterable[str]) -> set[str]:
    """Which of ``sale_ids`` the backend holds as cancelled."""
    wanted = sorted(set(sale_ids))
    if not wanted:
        return set()
    return set(
        conn.execute(
            select(sale_cancellations.c.sale_id).where(
                one_of(conn, sale_cancellations.c.sale_id, wanted)
            )
        ).scalars()
    )
