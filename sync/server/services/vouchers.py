"""Store credit (issue 7): vouchers issued by returns and spent on sales.

A return refunded as store credit carries a refund of kind ``VOUCHER_KIND`` whose reference is
the voucher's code, made at the register (so it works offline). The push writer
(``services/push.py``) creates the voucher with that amount when it applies the return, and takes
a sale's payment of kind ``voucher`` off the voucher it names. Vouchers are locked by code (after
the sales that returns name, before any stock level: the lock order of every writer), and within
a push group each event sees the ones before it, so two spends of one voucher never both see its
whole balance. Conflicts (applied, but a manager must look; the goods or the credit have left):

- ``voucher_exists``: a return issues a code another return already issued; the return is kept,
  the existing voucher is left as it is and no new credit is created;
- ``voucher_unknown``: a sale pays with a code the backend does not know, or with an inactive
  voucher; the sale is kept and the spend recorded (a voucher issued later with that code starts
  with that spend already taken off);
- ``voucher_overspent``: a sale pays more than the voucher's balance; the whole amount is taken
  off, so the balance goes below zero and shows what was overspent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select, update

from sync.protocol import VoucherView
from sync.server.errors import NotFound
from sync.server.services._sql import utcnow
from sync.server.services.stores import require_store
from sync.server.tables import voucher_movements, vouchers


@dataclass(slots=True)
class VoucherState:
    """A voucher as it stands in one push group."""

    code: str
    balance_cents: int
    active: bool
    stored: bool  # a row exists (else it is issued in this group)


_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def normalize_code(code: str) -> str:
    """A voucher code as the backend keys it: without surrounding spaces, ASCII letters in
    capitals (only those: ``"ß".upper()`` is two letters, and the code must fit its column)."""
    return code.strip().translate(_ASCII_UPPER)


def lock_vouchers(conn: Connection, codes: Iterable[str]) -> dict[str, VoucherState]:
    """The vouchers of ``codes`` that exist, locked in code order (the lock order)."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = conn.execute(
        select(vouchers.c.code, vouchers.c.balance_cents, vouchers.c.active)
        .where(vouchers.c.code.in_(wanted))
        .order_by(vouchers.c.code)
        .with_for_update()
    )
    return {r.code: VoucherState(r.code, int(r.balance_cents), bool(r.active), True) for r in rows}


def unknown_spends(conn: Connection, codes: Iterable[str]) -> dict[str, int]:
    """Cents spent so far of codes no voucher exists for (spent before it was issued)."""
    wanted = sorted(set(codes))
    if not wanted:
        return {}
    rows = conn.execute(
        select(voucher_movements.c.code, func.sum(voucher_movements.c.amount_cents))
        .where(voucher_movements.c.code.in_(wanted), voucher_movements.c.kind == "spend")
        .group_by(voucher_movements.c.code)
    )
    return {code: -int(total) for code, total in rows if total}


def voucher_view(conn: Connection, code: str) -> VoucherView:
    """The voucher ``code`` now; ``NotFound`` when the backend has none."""
    row = conn.execute(select(vouchers).where(vouchers.c.code == normalize_code(code))).first()
    if row is None:
        raise NotFound(f"no voucher {code!r}")
    return VoucherView(
        code=row.code,
        balance_cents=int(row.balance_cents),
        issued_cents=int(row.issued_cents),
        currency=row.currency,
        issued_at=row.issued_at,
        store_code=row.store_code,
        active=bool(row.active),
    )


def set_voucher_active(
    conn: Connection, code: str, *, active: bool, now: datetime | None = None
) -> bool:
    """Withdraw a voucher (lost, stolen, issued by mistake) or give it back; whether that
    changed anything. ``NotFound`` when the backend has none. Registers asking for it then
    hear ``active: false`` and refuse it; one spent offline before they knew is applied as a
    ``voucher_unknown`` conflict for a manager (the goods have left)."""
    key = normalize_code(code)
    row = conn.execute(
        select(vouchers.c.active).where(vouchers.c.code == key).with_for_update()
    ).first()
    if row is None:
        raise NotFound(f"no voucher {code!r}")
    if bool(row.active) is active:
        return False
    conn.execute(
        update(vouchers)
        .where(vouchers.c.code == key)
        .values(active=active, updated_at=now or utcnow())
    )
    return True


@dataclass(frozen=True, slots=True)
class VoucherEntry:
    code: str
    store_code: str
    issued_at: datetime
    issued_cents: int
    balance_cents: int
    active: bool


def list_vouchers(conn: Connection, store_code: str | None = None) -> list[VoucherEntry]:
    """Vouchers (issued at ``store_code``, or everywhere), oldest first."""
    query = select(
        vouchers.c.code, vouchers.c.store_code, vouchers.c.issued_at, vouchers.c.issued_cents,
        vouchers.c.balance_cents, vouchers.c.active,
    )  # fmt: skip
    if store_code is not None:
        query = query.where(vouchers.c.store_code == require_store(conn, store_code))
    rows = conn.execute(query.order_by(vouchers.c.issued_at, vouchers.c.code))
    return [
        VoucherEntry(
            r.code,
            r.store_code,
            r.issued_at,
            int(r.issued_cents),
            int(r.balance_cents),
            bool(r.active),
        )  # fmt: skip
        for r in rows
    ]
