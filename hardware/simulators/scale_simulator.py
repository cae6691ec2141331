"""A Mettler Toledo 8217 protocol scale on a pseudo-terminal, for tests and the demo.

:class:`ScaleResponder` is the scale's logic without any port (feed it the host's bytes, get
the answer bytes; usable behind a TCP socket for pyserial's ``socket://``).
:class:`ScaleSimulator` puts one behind a :class:`PtyDevice`. Answers, one per ``W``:

- a stable weight: ``STX`` + ``WW.WWW`` (kilograms, leading zeros, e.g. ``01.234``) + ``CR``;
- otherwise ``STX ? status CR`` with the status bits of :mod:`hardware.scale`: motion
  (``stable=False``), over capacity (``over=True``) or under zero (a negative weight);
- ``set_weight(None)``: no answer at all (a scale switched off behind a live adapter);
- ``set_raw_answer(b"...")``: those bytes instead (garbage, other formats).

Other bytes (CR, LF, other commands) get no answer.
"""

from __future__ import annotations

import os
import threading
from decimal import Decimal

from hardware.simulators.pty_device import PtySimulator

__all__ = ["ScaleResponder", "ScaleSimulator"]

_STX, _CR = b"\x02", b"\r"
_MOTION, _OVER_CAPACITY, _UNDER_ZERO, _ALWAYS_SET = 0x01, 0x02, 0x04, 0x40


class ScaleResponder:
    """What an 8217 scale answers; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._weight: Decimal | None = Decimal("0.000")
        self._stable = True
        self._over = False
        self._raw: bytes | None = None
        self.requests = 0  # W commands received

    def set_weight(
        self, weight: Decimal | None, *, stable: bool = True, over: bool = False
    ) -> None:
        """What the next requests are answered with (``None``: no answer)."""
        with self._lock:
            self._weight, self._stable, self._over, self._raw = weight, stable, over, None

    def set_raw_answer(self, answer: bytes) -> None:
        """Answer every request with exactly ``answer``."""
        with self._lock:
            self._raw = answer

    def feed(self, data: bytes) -> bytes:
        """The bytes the scale sends back for ``data`` received from the host."""
        out = bytearray()
        for byte in data:
            if byte == ord("W"):
                with self._lock:
                    self.requests += 1
                    out += self._answer()
        return bytes(out)

    def _answer(self) -> bytes:
        if self._raw is not None:
            return self._raw
        weight = self._weight
        if weight is None:
            return b""
        status = 0
        if self._over:
            status |= _OVER_CAPACITY
        if weight < 0:
            status |= _UNDER_ZERO
        if not self._stable:
            status |= _MOTION
        if status:
            return _STX + b"?" + bytes([status | _ALWAYS_SET]) + _CR
        return _STX + f"{weight:06.3f}".encode("ascii") + _CR


class ScaleSimulator(PtySimulator):
    """An 8217 scale behind the stable path :attr:`path`; plugged in on creation."""

    def __init__(self, link_path: str | os.PathLike[str]) -> None:
        self.responder = ScaleResponder()
        super().__init__(link_path, on_data=self._on_data)

    @property
    def requests(self) -> int:
        """How many ``W`` requests were received (since creation)."""
        return self.responder.requests

    def set_weight(
        self, weight: Decimal | None, *, stable: bool = True, over: bool = False
    ) -> None:
        """Kilograms on the platter; ``stable=False``: moving; ``None``: the scale is silent."""
        self.responder.set_weight(weight, stable=stable, over=over)

    def set_raw_answer(self, answer: bytes) -> None:
        self.responder.set_raw_answer(answer)

    def _on_data(self, data: bytes) -> None:
        answer = self.responder.feed(data)
        if answer:
            self._device.write(answer)
