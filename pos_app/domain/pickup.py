"""Click-and-collect at the register: the order's states as the register reasons about them.

The backend owns a pickup order's state (``pending -> picking -> ready -> collected``, plus
``partially_collected``, ``cancelled`` and ``expired``). The register acts on its local copy
(offline too) and is then *ahead* of the backend until its ``pickup.transition`` events are
applied and the new state comes back in a pull. ``merge_local_status`` says what the register
keeps of its own progress when a newer backend version arrives:

- a hand-over done here (collected / partially collected) is never thrown away: the goods left
  the store. Should the backend say cancelled or expired, that is its conflict to report (an
  attention item); the register keeps showing the hand-over, with the backend's state noted;
- otherwise the backend wins when it is closed (cancelled online, expired) or when it has
  caught up with, or gone past, the register's state; while it is behind (the register's event
  not yet applied) the register's state stands.

States are plain strings here (the values of ``sync.protocol.PickupStatus``): the domain does
not import the wire package.
"""

from __future__ import annotations

from decimal import Decimal

PENDING = "pending"
PICKING = "picking"
READY = "ready"
COLLECTED = "collected"
PARTIALLY_COLLECTED = "partially_collected"
CANCELLED = "cancelled"
EXPIRED = "expired"

OPEN = frozenset({PENDING, PICKING, READY})
HANDED_OVER = frozenset({COLLECTED, PARTIALLY_COLLECTED})
CLOSED = frozenset({COLLECTED, PARTIALLY_COLLECTED, CANCELLED, EXPIRED})
_RANK = {PENDING: 0, PICKING: 1, READY: 2}


def merge_local_status(local: str | None, backend: str) -> tuple[str | None, str]:
    """What the register keeps of its local status ``local`` once the backend, at a newer
    version than the one the register acted on, says ``backend``.

    Returns ``(local status still ahead, or None; conflict note)``; the note is the backend's
    closing state when it contradicts a hand-over done here, else empty.
    """
    if local is None:
        return None, ""
    if local in HANDED_OVER:
        if backend in HANDED_OVER:
            return None, ""
        if backend in CLOSED:
            return local, backend
        return local, ""
    if backend in CLOSED:
        return None, ""
    if _RANK.get(backend, 0) >= _RANK.get(local, 0):
        return None, ""
    return local, ""


def keeps_pick_progress(backend: str) -> bool:
    """Whether quantities picked here still matter once the backend says ``backend``: while it
    is pending or picking (the backend learns the quantities only when the order is ready)."""
    return backend in (PENDING, PICKING)


def collected_status(ordered: dict[int, Decimal], collected: dict[int, Decimal]) -> str:
    """``collected`` when every ordered line left whole with the customer, else
    ``partially_collected`` (a short pick, a missing item, a refusal)."""
    if all(collected.get(line, Decimal(0)) >= qty for line, qty in ordered.items()):
        return COLLECTED
    return PARTIALLY_COLLECTED
