"""A retail scale on a serial port speaking the Mettler Toledo 8217 ("8213 demand") protocol.

Protocol, as documented by the Datalogic/PSC Magellan 8500 service manual (section 6.1.4,
"8213 Mettler Toledo": the scanner-scale's host interface for the 8217 scale) and the
Transcell PC-150 manual (appendix B.1.4, "Toledo 8213 demand format"):

- Framing: 7 data bits, even parity, 1 stop bit; 1200, 2400, 9600 or 19200 baud (9600 here).
  No handshake. At least 200 ms between commands (:meth:`SerialScale.read_weight` waits out
  the rest of that interval if called sooner).
- The host sends an upper-case ``W`` (no terminator).
- Stable, valid weight: ``STX`` + weight + ``CR``. In kilograms the weight is ``WW.WWW``
  (six characters with the decimal point, leading zeros kept: ``01.234``); in pounds
  ``WW.WW``; an ``N`` follows for a net weight. Other 8217 scales drop leading zeros or add
  a unit, so ``1.234``, ``001.234``, ``01.234N`` and ``1.234 KG`` are all accepted here; a
  weight in pounds (``LB``) or without a decimal point is refused (never guess a scale
  factor where money depends on it).
- Otherwise (motion, negative, over or under capacity, zero error): ``STX`` ``?`` + one
  status byte + ``CR``. Status bits: 0 motion, 1 over capacity, 2 under zero (negative),
  3 outside the zero capture range, 4 at the centre of zero, 5 net weight, 6 always 1,
  7 parity. The byte is masked to 7 bits, so a port left at 8N1 reads the same.

Results of :meth:`SerialScale.read_weight`: kilograms as ``Decimal`` with 3 decimals
(``Decimal("1.234")``); :class:`hardware.errors.ScaleUnstable` for motion (weigh again);
:class:`hardware.errors.ScaleError` for over capacity, under zero, zero error and anything
unreadable (the message quotes the bytes); :class:`hardware.errors.DeviceUnavailable` when the
port cannot be opened or used or no answer comes within ``timeout`` seconds. Over capacity or
under zero also win over motion when both bits are set.

The port opens on first use and reopens by itself after a failure (a scale unplugged and
plugged back works again). Calls are serialised by a lock and block for at most about
``timeout`` + 0.2 s: call them from a worker, not the GUI thread.
"""

from __future__ import annotations

import logging
import re
import time
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

import serial  # type: ignore[import-untyped]

from hardware.errors import DeviceUnavailable, ScaleError, ScaleUnstable
from hardware.serial_port import PORT_ERRORS, OnDemandPort, describe, open_serial
from hardware.status import DeviceState, DeviceStatus

__all__ = ["SerialScale", "parse_8217_answer"]

log = logging.getLogger(__name__)

STX = 0x02
CR = 0x0D
REQUEST_WEIGHT = b"W"
MIN_COMMAND_INTERVAL = 0.2  # seconds, from the 8217 host-interface documentation
_POLL = 0.05  # pyserial read time-out inside the answer's deadline
_MAX_ANSWER = 64  # bytes: an answer longer than this without a frame is garbage
_KILOGRAM = Decimal("0.001")
# How :func:`hardware.serial_port.describe` words a scale that vanished (pyserial's "returned
# no data" of a hung-up port, or EIO).
_HANG_UP = (("returned no data", "disconnected"), ("Input/output error", "disconnected"))

_MOTION = 0x01
_OVER_CAPACITY = 0x02
_UNDER_ZERO = 0x04
_OUTSIDE_ZERO_RANGE = 0x08
_ALWAYS_SET = 0x40

_WEIGHT = re.compile(
    r"^\s*(?P<value>\d*\.\d+|\d+\.\d*|\d+)\s*(?P<net>N)?\s*(?P<unit>KG|LB)?\s*(?P<net2>N)?\s*$",
    re.IGNORECASE,
)


class _Unreadable(ScaleError):
    """The scale's answer is not a weight nor a status: wrong protocol, baud rate or device."""


def parse_8217_answer(body: bytes) -> Decimal:
    """The weight in an 8217 answer's body (the bytes between STX and CR), in kilograms.

    Raises ``ScaleUnstable`` or ``ScaleError`` as described in the module docstring.
    """
    text = body.decode("ascii", errors="replace")
    if body.startswith(b"?"):
        if len(body) != 2:
            raise _Unreadable(f"scale sent an unreadable status {body!r}")
        _raise_for_status(body[1])
    match = _WEIGHT.match(text)
    if match is None:
        raise _Unreadable(f"scale sent an unreadable weight {body!r}")
    unit = (match["unit"] or "").upper()
    if unit == "LB":
        raise ScaleError(f"scale weighs in pounds ({body!r}): set it to kilograms")
    value = match["value"]
    if "." not in value:
        raise _Unreadable(f"scale sent a weight without a decimal point ({body!r})")
    try:
        return Decimal(value).quantize(_KILOGRAM)
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ScaleError(f"scale sent an unreadable weight {body!r}") from exc


def _raise_for_status(status: int) -> NoReturn:
    if not status & _ALWAYS_SET:
        raise _Unreadable(f"scale sent an unreadable status byte 0x{status:02X}")
    if status & _OVER_CAPACITY:
        raise ScaleError("over capacity: remove the load")
    if status & _UNDER_ZERO:
        raise ScaleError("under zero: empty the scale and zero it")
    if status & _MOTION:
        raise ScaleUnstable("the weight is not stable yet")
    if status & _OUTSIDE_ZERO_RANGE:
        raise ScaleError("outside the zero range: empty the scale and zero it")
    raise ScaleError(f"scale gave no weight (status 0x{status:02X})")


class SerialScale(OnDemandPort):
    """A Mettler Toledo 8217 protocol scale on ``port`` (a device path, COM3 or a pyserial URL)."""

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        bytesize: int = 7,
        parity: str = "E",
        stopbits: float = 1,
        timeout: float = 1.0,
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        super().__init__(
            port, kind="scale", logger=log, hang_up=_HANG_UP, status_detail="not asked yet"
        )
        self.baudrate = baudrate
        self.bytesize = bytesize
        self.parity = parity
        self.stopbits = stopbits
        self.timeout = timeout
        self._last_command = float("-inf")

    def read_weight(self) -> Decimal:
        """Ask for the weight; kilograms with 3 decimals. See the module docstring for errors."""
        with self._lock:
            body = self._request_locked()
            try:
                weight = parse_8217_answer(body)
            except ScaleUnstable as exc:
                self._status = DeviceStatus(DeviceState.READY, f"{self.port}: {exc}")
                raise
            except _Unreadable as exc:
                self._status = DeviceStatus(DeviceState.ERROR, f"{self.port}: {exc}")
                raise
            except ScaleError as exc:  # it answered: the load, not the scale, is the problem
                self._status = DeviceStatus(DeviceState.READY, f"{self.port}: {exc}")
                raise
            self._status = DeviceStatus(DeviceState.READY, self.port)
            return weight

    def status(self) -> DeviceStatus:
        """Ask the scale (a ``W`` request, harmless) and report: READY when it answers,
        including "in motion" or "over capacity"; ERROR when the answer is unreadable;
        OFFLINE when the port is missing or the scale is silent. Never raises; blocks up to
        about ``timeout``."""
        try:
            self.read_weight()
        except (ScaleError, DeviceUnavailable):
            pass
        return self._status

    def __repr__(self) -> str:
        return f"SerialScale({self.port!r})"

    # --- internals ------------------------------------------------------------------------
    def _request_locked(self) -> bytes:
        port = self._open_locked()
        wait = self._last_command + MIN_COMMAND_INTERVAL - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            port.reset_input_buffer()  # a late answer to an earlier request is stale
            port.write(REQUEST_WEIGHT)
            return self._read_answer_locked(port)
        except serial.SerialTimeoutException as exc:
            self._fail_locked(f"did not accept the request within {self.timeout} s", exc)
        except PORT_ERRORS as exc:
            self._fail_locked(describe(exc, self._hang_up), exc)
        finally:
            self._last_command = time.monotonic()

    def _read_answer_locked(self, port: Any) -> bytes:
        deadline = time.monotonic() + self.timeout
        received = bytearray()
        while True:
            start = received.find(STX)
            if start >= 0:
                end = received.find(CR, start)
                if end >= 0:
                    return bytes(received[start + 1 : end])
            elif CR in received:
                self._answer_error(f"scale sent an unreadable answer {bytes(received)!r}")
            if len(received) > _MAX_ANSWER:
                self._answer_error(f"scale sent an unreadable answer {bytes(received[:32])!r}...")
            if time.monotonic() >= deadline:
                break
            chunk: bytes = port.read(1)
            if chunk:
                waiting = port.in_waiting
                if waiting:
                    chunk += port.read(waiting)
                received += bytes(b & 0x7F for b in chunk)  # 7-bit protocol: drop parity
        if not received:
            message = f"{self.port}: no answer within {self.timeout} s"
            self._status = DeviceStatus(DeviceState.OFFLINE, message)
            raise DeviceUnavailable(message)
        self._answer_error(f"scale sent an incomplete answer {bytes(received)!r}")

    def _answer_error(self, message: str) -> NoReturn:
        self._status = DeviceStatus(DeviceState.ERROR, f"{self.port}: {message}")
        raise _Unreadable(message)

    def _open_port(self) -> Any:
        return open_serial(
            self.port,
            baudrate=self.baudrate,
            bytesize=self.bytesize,
            parity=self.parity,
            stopbits=self.stopbits,
            read_timeout=_POLL,
            write_timeout=self.timeout,
        )

    def _on_opened_locked(self) -> None:
        log.info("%s: scale port open", self.port)
