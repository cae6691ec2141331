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
from sync.protocol import VoucherView

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


@dataclass(frozen=True, slots=True)
class VoucherCheck:
    """What the backend said of a voucher (``view`` None: it was not asked, or not reached).
    Nothing is written until ``remember_voucher`` keeps it, on the database worker."""

    code: str
    view: VoucherView | None
    offline: bool


def fetch_voucher(lookup: VoucherLookup | None, code: str) -> VoucherCheck:
    """Ask the backend about ``code``. Network I/O, no database writes: run it on the I/O pool.

    Raises ``VoucherNotFound`` when the backend does not know it (unless issued here: see
    ``remember_voucher``) and ``VoucherInactive``; an unreachable backend is ``offline``.
    """
    code = normalize_code(code)
    if not code:
        raise VoucherNotFound(code)
    if lookup is None:
        return VoucherCheck(code, None, True)
    try:
        view = lookup.voucher(code)
    except SyncError as exc:
        if exc.kind is SyncErrorKind.REJECTED and exc.code == "not_found":
            return VoucherCheck(code, None, False)
        log.info("voucher look-up of %s failed: %s", code, exc)
        return VoucherCheck(code, None, True)
    if not view.active:
        raise VoucherInactive(code)
    return VoucherCheck(code, view, False)


def remember_voucher(
    uow_factory: UnitOfWorkFactory, check: VoucherCheck, now: datetime
) -> VoucherBalance:
    """The balance ``check`` gives (see the module's docstring), kept locally when it came from
    the backend. Database writes: run it on the database worker.

    Raises ``VoucherNotFound`` or ``VoucherOffline``.
    """
    code = check.code
    if check.view is not None:
        with uow_factory() as uow:
            # The backend's figure, less what this register spent that it has not received.
            balance = max(check.view.balance_cents - uow.vouchers.unsynced_spent(code), 0)
            uow.vouchers.remember(
                code,
                issued_cents=check.view.issued_cents,
                balance_cents=balance,
                at=now,
                source=LOOKUP,
            )
            uow.commit()
        return VoucherBalance(code, balance, True, now)
    with uow_factory.reader() as uow:
        known = uow.vouchers.get(code)
    if known is None:
        if check.offline:
            raise VoucherOffline(code)
        raise VoucherNotFound(code)
    if not check.offline and known.source != ISSUED:
        raise VoucherNotFound(code)  # the backend no longer knows a voucher looked up before
    return VoucherBalance(code, max(known.balance_cents, 0), False, known.known_at)


def find_voucher(
    uow_factory: UnitOfWorkFactory,
    lookup: VoucherLookup | None,
    code: str,
    now: datetime,
) -> VoucherBalance:
    """``fetch_voucher`` then ``remember_voucher``, in the calling thread (for callers that are
    already off the GUI thread and may write, such as tests and the returns service)."""
    return remember_voucher(uow_factory, fetch_voucher(lookup, code), now)
