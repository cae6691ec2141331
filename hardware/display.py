"""A two-line customer pole display (VFD or LCD, usually 2 x 20) on a serial port.

Two command sets are spoken, chosen with ``protocol``:

``"epson"`` — Epson ESC/POS for customer displays (DM-D110/DM-D210 and the many "Epson
mode" clones). Sources: Epson *DM-D110 Specification*, section 5.4 (command details) and the
LCDproc ``serialPOS`` driver (``serialPOS_epson.c``). On (re)opening: ``ESC @`` (initialise:
clears the screen, resets settings), ``ESC R 0`` (USA international set, so ``#``/``[``/``\\``
are themselves), ``ESC t 19`` (code table PC858; DM-D110 accepts n = 0-5, 16-19),
``US MD1`` (``1F 01``, overwrite mode) and ``US C 0`` (cursor off). Each :meth:`show`:
``US $ 1 1`` + top row + ``US $ 1 2`` + bottom row (``1F 24 x y``, 1-based column and row),
every row exactly ``columns`` characters so old text is overwritten.
Characters: CP858 as on the receipt printer (Spanish accents, ``ñ``, ``¿``, ``¡`` and ``€`` at
0xD5); anything else goes through :func:`hardware.printers.text.normalize_for_cp858`
(typographic dashes and quotes to ASCII, the rest ``?``). The table is selected after
``ESC @``, which would reset it.

``"cd5220"`` — the CD5220 command set (Partner Tech CD5220/CD7220 and clones in CD5220 mode).
Sources: *CD5220 User's Manual*, "CD5220 standard mode command list", and the LCDproc driver
``serialPOS_cd5220.c``. On (re)opening: ``ESC @`` then ``ESC f S`` (international font set
Spain). Each :meth:`show`: ``ESC Q A`` + top row + CR, ``ESC Q B`` + bottom row + CR (string
display mode: one command per line; in that mode only CLR/CAN are accepted, which
:meth:`clear` sends).
Characters: CD5220 manuals document no code page for bytes 0x80-0xFF, only the international
sets, so text is sent as 7-bit ASCII with the Spain set's replacements (as in Epson's
international character tables, "Spain I"): ``¡`` 0x5B, ``Ñ`` 0x5C, ``¿`` 0x5D, ``ñ`` 0x7C.
Accented vowels lose their accent (``á`` -> ``a``, ``ü`` -> ``u``), ``€`` becomes ``EUR``
and the ASCII characters the Spain set replaces (``# [ \\ ] { |``) become ``? ( / ) ( /``.
``ñ`` is kept on purpose: "Año" must never read "Ano".

Fitting: every row is exactly ``columns`` characters, padded with spaces. When the text as
displayed is too long (``€`` -> ``EUR``, ``…`` -> ``...``), the widest run of spaces (the gap
of a "left ... right" line) shrinks first; then, if the row ends in an amount, the text
before the amount is cut, so a price is never truncated; otherwise the end is cut.
:func:`layout_line` builds such lines. Control characters in the text are dropped, so data
can never inject display commands.

Every initialisation is preceded by CR CLR CLR, which ends a command that a failed write may
have cut in half (as parameters these bytes are out of range and ignored; CR ends a CD5220
string) and clears the screen.

Failures: opening, writing or a write that does not finish within ``timeout`` seconds
(``write_timeout``; nothing waits on the display's answer, it sends none) raise
:class:`hardware.errors.DeviceUnavailable` and close the port; the next :meth:`show` reopens
it and initialises the display again, so a display unplugged and plugged back works without
restarting the app. Calls are serialised by a lock and block for at most about ``timeout``;
call them from a worker, not the GUI thread.
"""

from __future__ import annotations

import logging
import unicodedata
from typing import Any, Literal, NoReturn

import serial  # type: ignore[import-untyped]

from hardware.errors import DeviceUnavailable
from hardware.printers.text import normalize_for_cp858
from hardware.serial_port import (
    PORT_ERRORS,
    OnDemandPort,
    describe,
    device_node_gone,
    open_serial,
)
from hardware.status import DeviceState, DeviceStatus

__all__ = ["DisplayProtocol", "PoleDisplay", "fit_line", "layout_line", "to_display_text"]

log = logging.getLogger(__name__)

DisplayProtocol = Literal["epson", "cd5220"]
_PROTOCOLS = ("epson", "cd5220")
# How :func:`hardware.serial_port.describe` words a display that vanished mid-write.
_HANG_UP = (("Input/output error", "disconnected (input/output error)"),)

ESC = b"\x1b"
US = b"\x1f"
CLR = b"\x0c"
CR = b"\r"

_EPSON_CODE_TABLE = 19  # PC858
_EPSON_INIT = b"".join(
    (
        ESC + b"@",  # initialise: clear, home, power-on settings
        ESC + b"R\x00",  # international set USA
        ESC + b"t" + bytes([_EPSON_CODE_TABLE]),  # after ESC @, which resets it
        US + b"\x01",  # US MD1: overwrite mode
        US + b"C\x00",  # cursor off
    )
)
_CD5220_INIT = ESC + b"@" + ESC + b"fS"
# Sent before the initialisation: ends a command a failed write may have cut in half (a CD5220
# ESC Q string ends at CR; as the parameters of US $ / ESC l / ESC t these bytes are out of
# range and ignored), then clears the screen.
_RESYNC = CR + CLR + CLR

# CD5220 with the Spain international set: what the display shows -> the byte that shows it.
_SPAIN_BYTES = {"¡": 0x5B, "Ñ": 0x5C, "¿": 0x5D, "ñ": 0x7C}
# ASCII characters the Spain set replaces, and what is sent instead.
_SPAIN_DISPLACED = {"#": "?", "[": "(", "\\": "/", "]": ")", "{": "(", "|": "/"}
_CD5220_SUBSTITUTES = {"€": "EUR", "º": "o", "ª": "a", "·": ".", "«": '"', "»": '"'}


def to_display_text(text: str, protocol: DisplayProtocol = "epson") -> str:
    """``text`` as the display of ``protocol`` will show it, one character per column."""
    if protocol == "epson":
        return normalize_for_cp858(text)
    out: list[str] = []
    for char in normalize_for_cp858(text):  # controls gone, typography already ASCII
        if char in _SPAIN_BYTES:
            out.append(char)
        elif char in _SPAIN_DISPLACED:
            out.append(_SPAIN_DISPLACED[char])
        elif char in _CD5220_SUBSTITUTES:
            out.append(_CD5220_SUBSTITUTES[char])
        elif " " <= char <= "~":
            out.append(char)
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in decomposed if not unicodedata.combining(c))
            out.append(base if base and all(" " <= c <= "~" for c in base) else "?")
    return "".join(out)


def fit_line(text: str, columns: int) -> str:
    """``text`` made exactly ``columns`` long: padded, or shortened so an amount survives.

    When too long: the widest runs of spaces shrink first (the gap of a "left ... right"
    line); then, if the last word holds a digit (an amount, "1,20 EUR" counts as the words
    after the gap), the text before it is cut; otherwise the end is cut.
    """
    text = text.rstrip(" ")
    excess = len(text) - columns
    while excess > 0:
        start, length = _widest_gap(text)
        if length < 2:
            break
        cut = min(excess, length - 1)
        text = text[: start + length - cut] + text[start + length :]
        excess -= cut
    if excess > 0:
        tail = _amount_tail(text)
        if tail and len(tail) + 2 <= columns:
            text = text[: columns - len(tail) - 1].rstrip(" ") + " " + tail
    return text[:columns].ljust(columns)


def _amount_tail(text: str) -> str:
    """The trailing amount of ``text`` ("1,20 EUR", "12,30"), or "" if it ends otherwise."""
    words = text.split(" ")
    if len(words) < 2:
        return ""
    if any(c.isdigit() for c in words[-1]):
        return words[-1]
    currency = words[-1]
    if len(words) >= 3 and len(currency) <= 3 and not any(c.isdigit() for c in currency):
        if any(c.isdigit() for c in words[-2]):
            return f"{words[-2]} {currency}"  # "1,20 €", "1,20 EUR"
    return ""


def layout_line(left: str, right: str, columns: int = 20) -> str:
    """One row with ``left`` at the start and ``right`` at the end ("Pan      1,20 €").

    ``right`` (an amount) is kept whole; ``left`` is cut to leave at least one space.
    """
    if not right:
        return left[:columns]
    room = columns - len(right) - 1
    if room < 1:
        return right[:columns]
    left = left[:room]
    return left + " " * (columns - len(left) - len(right)) + right


def _widest_gap(text: str) -> tuple[int, int]:
    best_start, best_length = 0, 0
    index = 0
    while index < len(text):
        if text[index] == " ":
            end = index
            while end < len(text) and text[end] == " ":
                end += 1
            if index > 0 and end - index >= best_length:  # leading spaces are indentation
                best_start, best_length = index, end - index
            index = end
        else:
            index += 1
    return best_start, best_length


def _encode_row(row: str, protocol: DisplayProtocol) -> bytes:
    if protocol == "epson":
        return row.encode("cp858", errors="replace")
    return bytes(_SPAIN_BYTES.get(char, ord(char) if char <= "~" else 0x3F) for char in row)


class PoleDisplay(OnDemandPort):
    """A customer display on ``port`` (a device path, ``COM3`` or a pyserial URL)."""

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        protocol: DisplayProtocol = "epson",
        columns: int = 20,
        timeout: float = 1.0,
    ) -> None:
        if protocol not in _PROTOCOLS:
            raise ValueError(f"unknown display protocol {protocol!r} (use one of {_PROTOCOLS})")
        if not 1 <= columns <= 40:
            raise ValueError(f"columns must be between 1 and 40, not {columns}")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        super().__init__(
            port, kind="display", logger=log, hang_up=_HANG_UP, status_detail="not opened yet"
        )
        self.baudrate = baudrate
        self.protocol: DisplayProtocol = protocol
        self.columns = columns
        self.timeout = timeout
        self._needs_init = True  # after every (re)opening: the display may have been replugged
        self._write_failed = False  # the last write failed and no write has succeeded since

    # --- public ---------------------------------------------------------------------------
    def show(self, top: str, bottom: str) -> None:
        """Show two rows (each fitted to :attr:`columns`). Raises ``DeviceUnavailable``."""
        payload = b"".join(self._render_rows(top, bottom))
        self._send(payload)

    def clear(self) -> None:
        """Blank the display. Raises ``DeviceUnavailable``."""
        self._send(CLR)

    def layout_line(self, left: str, right: str) -> str:
        """:func:`layout_line` for this display's width."""
        return layout_line(left, right, self.columns)

    def status(self) -> DeviceStatus:
        """READY when the port is open (or opens now), OFFLINE with the reason otherwise.

        Sends nothing to the display (that would disturb it); a display that vanished while
        open is noticed by its device node disappearing or by the next :meth:`show`. After a
        failed write the state stays OFFLINE until a :meth:`show` succeeds, unless the port
        disappeared in between (then it is a freshly plugged display).
        """
        with self._lock:
            if self._serial is not None and device_node_gone(self.port):
                self._close_locked()
                self._status = DeviceStatus(DeviceState.OFFLINE, f"{self.port}: disconnected")
            if self._serial is None:
                failure = self._status
                try:
                    self._open_locked()
                except DeviceUnavailable:
                    self._write_failed = False
                else:
                    if self._write_failed:
                        self._status = failure
            return self._status

    def __repr__(self) -> str:
        return f"PoleDisplay({self.port!r}, protocol={self.protocol!r})"

    # --- internals ------------------------------------------------------------------------
    def _render_rows(self, top: str, bottom: str) -> list[bytes]:
        rows = [
            _encode_row(fit_line(to_display_text(text, self.protocol), self.columns), self.protocol)
            for text in (top, bottom)
        ]
        if self.protocol == "epson":
            return [US + b"$\x01\x01", rows[0], US + b"$\x01\x02", rows[1]]
        return [ESC + b"QA", rows[0], CR, ESC + b"QB", rows[1], CR]

    def _send(self, payload: bytes) -> None:
        with self._lock:
            port = self._open_locked()
            init = _EPSON_INIT if self.protocol == "epson" else _CD5220_INIT
            try:
                port.write((_RESYNC + init if self._needs_init else b"") + payload)
            except serial.SerialTimeoutException as exc:
                self._fail_locked(f"did not accept data within {self.timeout} s", exc)
            except PORT_ERRORS as exc:
                self._fail_locked(describe(exc, self._hang_up), exc)
            self._needs_init = self._write_failed = False
            self._status = DeviceStatus(DeviceState.READY, self.port)

    def _open_port(self) -> Any:
        return open_serial(
            self.port,
            baudrate=self.baudrate,
            bytesize=8,
            parity="N",
            stopbits=1,
            read_timeout=self.timeout,
            write_timeout=self.timeout,
        )

    def _on_opened_locked(self) -> None:
        log.info("%s: display port open (%s)", self.port, self.protocol)
        self._needs_init = True
        self._status = DeviceStatus(DeviceState.READY, self.port)

    def _fail_locked(self, reason: str, exc: BaseException) -> NoReturn:
        self._write_failed = True
        super()._fail_locked(reason, exc)
