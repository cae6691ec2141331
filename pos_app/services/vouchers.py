"""Store credit (vouchers): the codes this register makes, and what it knows of their balance.

Code format: ``V`` + the store code + the register code (letters and digits only) + a random
part in Crockford's base 32 (digits and upper-case letters without I, L, O, U), 12 to 16
characters in all (``VT01C01`` + 8 random = 15): typable, unambiguous when read aloud, printable
and scannable as CODE128, unique across registers by its prefix and, within this register, by
its random part (checked against the vouchers this register knows). The register makes it, so a
refund as store credit works offline; the backend creates the voucher when the return reaches it.

Balances (``find_voucher``): online, the backend's figure (``VoucherLookup``) less what this
register spent of it in sales still in its outbox, cached locally;
a voucher issued here that the backend does not know yet (its return not pushed) is taken at
what this register knows. Offline, the balance this register last knew (issued here or looked
up before), which goes down in the same transaction as each sale that spends from it; a voucher
never seen here cannot be checked offline (``VoucherOffline``).
"""

from __future__ import annotations

import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from pos_app.services.errors import VoucherInactive, VoucherNotFound, VoucherOffline
from pos_app.services.ports import (
    StoreIdentity,
    UnitOfWork,
    UnitOfWorkFactory,
    VoucherLookup,
)
from sync.errors import SyncError, SyncErrorKind

log = logging.getLogger(__name__)

VOUCHER_KIND = "voucher"
ISSUED = "issued"
LOOKUP = "lookup"
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32
_MAX_LENGTH = 16
_MIN_RANDOM = 6


def normalize_code(code: str) -> str:
    """A code as typed or scanned: spaces and dashes dropped, upper case."""
    return re.sub(r"[\s-]", "", code).upper()


def _prefix(identity: StoreIdentity) -> str:
    alnum = re.sub(r"[^A-Za-z0-9]", "", identity.store_code + identity.register_code).upper()
    return "V" + alnum[: _MAX_LENGTH - 1 - _MIN_RANDOM]


def new_voucher_code(identity: StoreIdentity, uow: UnitOfWork) -> str:
    """A new code (see the module's docstring), not among the vouchers ``uow`` knows."""
    prefix = _prefix(identity)
    size = max(_MIN_RANDOM, min(8, _MAX_LENGTH - len(prefix)))
    while True:
        code = prefix + "".join(secrets.choice(_ALPHABET) for _ in range(size))
        if uow.vouchers.get(code) is None:
            return code


@dataclass(frozen=True, slots=True)
class VoucherBalance:
    """What a voucher has left, as found."""

    code: str
    balance_cents: int
    checked: bool  # the backend's figure (online); else what this register last knew
    known_at: datetime


def find_voucher(
    uow_factory: UnitOfWorkFactory,
    lookup: VoucherLookup | None,
    code: str,
    now: datetime,
) -> VoucherBalance:
    """The balance of ``code`` (see the module's docstring). Network I/O: not on the GUI thread.

    Raises ``VoucherNotFound``, ``VoucherInactive`` or ``VoucherOffline``.
    """
    code = normalize_code(code)
    if not code:
        raise VoucherNotFound(code)
    with uow_factory.reader() as uow:
        known = uow.vouchers.get(code)
    offline = lookup is None
    if lookup is not None:
        try:
            view = lookup.voucher(code)
        except SyncError as exc:
            if exc.kind is SyncErrorKind.REJECTED and exc.code == "not_found":
                if known is not None and known.source == ISSUED:
                    # Issued here; its return has not reached the backend yet.
                    return VoucherBalance(code, known.balance_cents, False, known.known_at)
                raise VoucherNotFound(code) from exc
            log.info("voucher look-up of %s failed: %s", code, exc)
            offline = True
        else:
            if not view.active:
                raise VoucherInactive(code)
            with uow_factory() as uow:
                # The backend's figure, less what this register spent that it has not received.
                balance = max(view.balance_cents - uow.vouchers.unsynced_spent(code), 0)
                uow.vouchers.remember(
                    code,
                    issued_cents=view.issued_cents,
                    balance_cents=balance,
                    at=now,
                    source=LOOKUP,
                )
                uow.commit()
            return VoucherBalance(code, balance, True, now)
    if known is None:
        if offline:
            raise VoucherOffline(code)
        raise VoucherNotFound(code)
    return VoucherBalance(code, max(known.balance_cents, 0), False, known.known_at)
