"""The port plumbing shared by the serial device adapters (scanner, pole display, scale).

Every port opens the same way (:func:`open_serial`): no flow control (three-wire cables have
no handshake lines, and hardware flow control on one stalls forever), explicit read and write
time-outs and, on POSIX device paths, an exclusive lock, so a second program cannot steal a
scanner's codes or interleave a display's commands. ``port`` may also be a pyserial URL
(``socket://host:4001``, ``loop://``), which gets no lock.

What a port can raise is :data:`PORT_ERRORS` (:data:`OPEN_ERRORS` while opening);
:func:`describe` turns one into words for the status line and the operator's error dialog.

:class:`OnDemandPort` is the base of the devices the app asks over their own port (pole
display, scale): the port opens on first use, a failure closes it and raises
:class:`hardware.errors.DeviceUnavailable`, and the next call opens it again.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, NoReturn

import serial  # type: ignore[import-untyped]

from hardware.errors import DeviceUnavailable
from hardware.status import DeviceState, DeviceStatus

__all__ = [
    "OPEN_ERRORS",
    "PORT_ERRORS",
    "OnDemandPort",
    "close_quietly",
    "describe",
    "device_node_gone",
    "open_serial",
]

log = logging.getLogger(__name__)

# What a port can raise: pyserial's errors, OSError from ioctl/os.read, and on POSIX the
# termios.error (not an OSError) of tcflush/tcsetattr on a device that vanished.
PORT_ERRORS: tuple[type[Exception], ...] = (serial.SerialException, OSError)
if sys.platform != "win32":
    import termios

    PORT_ERRORS += (termios.error,)
OPEN_ERRORS: tuple[type[Exception], ...] = (*PORT_ERRORS, ValueError)  # ValueError: settings

# (text in the exception's message, what to say instead), the first match wins.
_WORDING: tuple[tuple[str, str], ...] = (
    ("No such file or directory", "not connected (no such device)"),
    ("Permission denied", "permission denied (is the user in the dialout group?)"),
    ("exclusively lock", "in use by another program"),
)


def open_serial(
    port: str,
    *,
    baudrate: int,
    bytesize: int,
    parity: str,
    stopbits: float,
    read_timeout: float,
    write_timeout: float,
) -> Any:
    """Open ``port`` (a device path, ``COM3`` or a pyserial URL) and return the open
    ``serial.Serial``: no flow control, the given time-outs, exclusive on POSIX paths.

    Raises one of :data:`OPEN_ERRORS` (``ValueError`` for settings pyserial rejects).
    """
    opened = serial.serial_for_url(
        port,
        do_not_open=True,
        baudrate=baudrate,
        bytesize=bytesize,
        parity=parity,
        stopbits=stopbits,
        timeout=read_timeout,
        write_timeout=write_timeout,
        xonxoff=False,
        rtscts=False,
        dsrdtr=False,
    )
    if port.startswith("/"):
        opened.exclusive = True
    opened.open()
    return opened


def describe(exc: BaseException, wording: Sequence[tuple[str, str]] = ()) -> str:
    """Why a port failed, in words: the reason of the first ``(text, reason)`` of ``wording``
    and then of the common cases (no such device, permission denied, in use) whose text is
    in ``exc``'s message; otherwise the message itself.

    ``wording`` is how a device names a hang-up, which differs from one adapter to another.
    """
    text = str(exc)
    for needle, reason in (*wording, *_WORDING):
        if needle in text:
            return reason
    return text


def close_quietly(port: Any) -> None:
    """Close an open ``serial.Serial``; a failure (the device is already gone) is only logged."""
    try:
        port.close()
    except PORT_ERRORS as exc:
        log.debug("%s: closing failed: %s", port.port, exc)


def device_node_gone(port: str) -> bool:
    """True when ``port`` is a POSIX device path that no longer exists (unplugged)."""
    return port.startswith("/") and not os.path.exists(port)


class OnDemandPort(ABC):
    """A device on a port of its own, opened on first use and reopened after a failure.

    Subclasses open the port in :meth:`_open_port` (with :func:`open_serial`), may react to a
    fresh opening in :meth:`_on_opened_locked`, and call the ``*_locked`` methods while holding
    ``self._lock``. ``self._status`` is theirs to keep, except that an opening that fails
    and :meth:`_fail_locked` turn it OFFLINE.

    ``kind`` starts the warnings (``"scale: /dev/ttyUSB0: disconnected"``), written to
    ``logger`` (the subclass's module logger); ``hang_up`` is :func:`describe`'s wording for
    the device vanishing; ``status_detail`` is the CONNECTING status's detail until first use.
    """

    def __init__(
        self,
        port: str,
        *,
        kind: str,
        logger: logging.Logger,
        status_detail: str,
        hang_up: Sequence[tuple[str, str]] = (),
    ) -> None:
        self.port = port
        self._kind = kind
        self._log = logger
        self._hang_up = hang_up
        self._lock = threading.Lock()
        self._serial: Any = None
        self._status = DeviceStatus(DeviceState.CONNECTING, f"{port}: {status_detail}")

    def close(self) -> None:
        """Close the port (the next call reopens it)."""
        with self._lock:
            self._close_locked()

    @abstractmethod
    def _open_port(self) -> Any:
        """Open and return the port (:func:`open_serial`); raise one of :data:`OPEN_ERRORS`."""

    @abstractmethod
    def _on_opened_locked(self) -> None:
        """Called after the port opened (it is ``self._serial`` by then)."""

    def _open_locked(self) -> Any:
        """The open port, opened now if needed; ``DeviceUnavailable`` if it cannot be."""
        if self._serial is not None:
            return self._serial
        try:
            port = self._open_port()
        except OPEN_ERRORS as exc:
            message = f"{self.port}: cannot open: {describe(exc, self._hang_up)}"
            self._status = DeviceStatus(DeviceState.OFFLINE, message)
            raise DeviceUnavailable(message) from exc
        self._serial = port
        self._on_opened_locked()
        return port

    def _fail_locked(self, reason: str, exc: BaseException) -> NoReturn:
        """Close the port, turn OFFLINE with ``reason`` and raise ``DeviceUnavailable``."""
        self._close_locked()
        message = f"{self.port}: {reason}"
        self._status = DeviceStatus(DeviceState.OFFLINE, message)
        self._log.warning("%s: %s", self._kind, message)
        raise DeviceUnavailable(message) from exc

    def _close_locked(self) -> None:
        port, self._serial = self._serial, None
        if port is not None:
            close_quietly(port)
