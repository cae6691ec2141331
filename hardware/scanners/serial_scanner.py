"""A barcode scanner on a serial port (RS-232, or USB in CDC/"virtual COM" mode).

One worker thread per scanner opens the port, reads, cuts the byte stream into codes at the
terminator and calls ``on_scan(code)`` **on that worker thread** (the app marshals it to its GUI
thread). It survives the cable being pulled: the port vanishing, read errors and the hang-up
of a pty all turn the status OFFLINE; the thread retries every ``retry_interval`` seconds and
turns READY again by itself when the port is back.

Framing
    With a terminator of CR, LF or CRLF (what scanners ship with), any of CR, LF or CRLF ends
    a code, so a scanner set to a different one of the three still works. Any other terminator
    (TAB, ETX, ...) is matched exactly. The terminator is removed; nothing else is stripped
    (``str.strip()`` would eat the GS1 group separator, which Python counts as whitespace).
    Empty codes (the LF of a CRLF, a bare Enter) are ignored.

Decoding
    Codes are decoded as UTF-8, which keeps ASCII as it is, including control characters
    such as GS (``\\x1d``, the GS1 FNC1 separator), RS and EOT of ISO/IEC 15434 messages, and
    gives 2D codes that carry UTF-8 text their accents. Bytes that are not UTF-8 (a scanner set
    to a Latin-1 keyboard table, line noise at a wrong baud rate) become U+FFFD and the code is
    still delivered, with a warning in the log: the app then reports an unknown barcode instead
    of the cashier seeing nothing happen.

Unplug and replug
    On any read error the pending half code is discarded (never glued to the next scan) and
    the port is closed at once, so the device node is freed and comes back under the same name.
    A fragment left without its terminator for ``fragment_timeout`` seconds is discarded too
    (a scanner configured without a suffix shows up as warnings in the log). Scans made while
    the port is closed are lost, as on real hardware: pyserial's ``open()`` flushes the input.

Status
    ``on_status`` (worker thread) is called once per change of state (CONNECTING, READY,
    OFFLINE, DISABLED after :meth:`SerialScanner.stop`), not on every retry; the detail of the
    latest failure is in :attr:`SerialScanner.status`. READY is reported after the port opened
    and the first read returned without an error.

Port settings: 8 data bits, no parity, one stop bit, no flow control (three-wire cables) and
an exclusive lock on POSIX unless told otherwise. ``port`` may be a pyserial URL
(``socket://host:4001`` for a serial device server).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from hardware.serial_port import PORT_ERRORS, close_quietly, describe, open_serial
from hardware.status import DeviceState, DeviceStatus

__all__ = ["SerialScanner"]

log = logging.getLogger(__name__)

_READ_POLL = 0.1  # seconds a read waits before checking for stop(): bounds stop()'s latency
_MAX_CODE_BYTES = 8192  # a "code" longer than this is noise or a missing terminator
_LINE_TERMINATORS = (b"\r", b"\n", b"\r\n")
# How :func:`hardware.serial_port.describe` words the hang-up of an unplugged scanner.
_HANG_UP = (("returned no data", "disconnected (the device hung up)"),)


class SerialScanner:
    """A serial barcode scanner read by its own worker thread; see the module docstring."""

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        terminator: bytes = b"\r",
        on_scan: Callable[[str], None],
        on_status: Callable[[DeviceStatus], None] | None = None,
        retry_interval: float = 1.0,
        fragment_timeout: float = 1.0,
        bytesize: int = 8,
        parity: str = "N",
        stopbits: float = 1,
    ) -> None:
        if not terminator:
            raise ValueError("the terminator must not be empty")
        if retry_interval <= 0 or fragment_timeout <= 0:
            raise ValueError("retry_interval and fragment_timeout must be positive")
        self.port = port
        self.baudrate = baudrate
        self.terminator = terminator
        self.bytesize = bytesize
        self.parity = parity
        self.stopbits = stopbits
        self.retry_interval = retry_interval
        self.fragment_timeout = fragment_timeout
        self._on_scan = on_scan
        self._on_status = on_status
        self._line_mode = terminator in _LINE_TERMINATORS
        self._status = DeviceStatus(DeviceState.DISABLED, "not started")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lifecycle = threading.Lock()  # start() and stop() from different threads

    @property
    def status(self) -> DeviceStatus:
        """The latest state, with the detail of the latest failure (any thread)."""
        return self._status

    def start(self) -> None:
        """Start the worker thread (returns at once; a second call does nothing)."""
        with self._lifecycle:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._thread = threading.Thread(
                target=self._run, name=f"SerialScanner {self.port}", daemon=True
            )
            self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        """Stop reading, close the port and join the thread (within about 0.1 s, plus the
        time of an ``on_scan`` call in progress: callbacks must not wait for this thread).

        Safe from any thread, several times, and before :meth:`start`; called from a callback
        (the worker itself) it only asks the thread to stop.
        """
        with self._lifecycle:
            thread = self._thread
            self._stop.set()
            if thread is None or thread is threading.current_thread():
                return
            thread.join(timeout)
            if thread.is_alive():
                log.warning("%s: the scanner thread did not stop within %s s", self.port, timeout)
            else:
                self._thread = None

    def __repr__(self) -> str:
        return f"SerialScanner({self.port!r}, state={self._status.state.value})"

    # --- worker thread --------------------------------------------------------------------
    def _run(self) -> None:
        self._set_status(DeviceState.CONNECTING, f"opening {self.port}")
        try:
            while not self._stop.is_set():
                port = self._open()
                if port is not None:
                    try:
                        self._read(port)
                    finally:
                        close_quietly(port)
                if not self._stop.is_set():
                    self._stop.wait(self.retry_interval)
        except Exception as exc:  # a bug here must not die silently in a thread
            log.exception("%s: the scanner thread failed", self.port)
            self._set_status(DeviceState.ERROR, f"{self.port}: internal error: {exc}")
            return
        self._set_status(DeviceState.DISABLED, "stopped")

    def _open(self) -> Any:
        try:
            # exclusive on POSIX paths: a second program on the port would steal scans
            port = open_serial(
                self.port,
                baudrate=self.baudrate,
                bytesize=self.bytesize,
                parity=self.parity,
                stopbits=self.stopbits,
                read_timeout=_READ_POLL,
                write_timeout=1.0,
            )
        except ValueError as exc:  # settings pyserial rejects: retrying will not help
            self._set_status(DeviceState.ERROR, f"{self.port}: {exc}")
            return None
        except PORT_ERRORS as exc:
            self._set_status(DeviceState.OFFLINE, f"{self.port}: {describe(exc, _HANG_UP)}")
            return None
        log.info("%s: port open", self.port)
        return port

    def _read(self, port: Any) -> None:
        pending = bytearray()
        last_data = time.monotonic()
        first_read = True
        while not self._stop.is_set():
            try:
                chunk: bytes = port.read(1)
                if chunk:
                    waiting = port.in_waiting
                    if waiting:
                        chunk += port.read(waiting)
            except PORT_ERRORS as exc:
                if pending:
                    log.warning(
                        "%s: discarded %d bytes of an unfinished code at disconnection",
                        self.port,
                        len(pending),
                    )
                self._set_status(DeviceState.OFFLINE, f"{self.port}: {describe(exc, _HANG_UP)}")
                return
            if first_read:
                first_read = False
                self._set_status(DeviceState.READY, self.port)
            now = time.monotonic()
            if not chunk:
                if pending and now - last_data > self.fragment_timeout:
                    log.warning(
                        "%s: discarded %r: no terminator %r within %s s (check the scanner's "
                        "suffix setting)",
                        self.port,
                        bytes(pending),
                        self.terminator,
                        self.fragment_timeout,
                    )
                    pending.clear()
                continue
            last_data = now
            pending += chunk
            for raw in self._split(pending):
                self._deliver(raw)
            if len(pending) > _MAX_CODE_BYTES:
                log.warning("%s: discarded %d bytes without a terminator", self.port, len(pending))
                pending.clear()

    def _split(self, pending: bytearray) -> list[bytes]:
        """Remove every complete code from ``pending`` and return them (without terminator)."""
        codes: list[bytes] = []
        if self._line_mode:
            while True:
                ends = [i for i in (pending.find(b"\r"), pending.find(b"\n")) if i >= 0]
                if not ends:
                    break
                end = min(ends)
                codes.append(bytes(pending[:end]))
                del pending[: end + 1]
        else:
            size = len(self.terminator)
            while (end := pending.find(self.terminator)) >= 0:
                codes.append(bytes(pending[:end]))
                del pending[: end + size]
        return [code for code in codes if code]

    def _deliver(self, raw: bytes) -> None:
        try:
            code = raw.decode("utf-8")
        except UnicodeDecodeError:
            code = raw.decode("utf-8", errors="replace")
            log.warning("%s: scan %r is not UTF-8; delivered as %r", self.port, raw, code)
        try:
            self._on_scan(code)
        except Exception:
            log.exception("%s: on_scan failed for %r", self.port, code)

    def _set_status(self, state: DeviceState, detail: str) -> None:
        previous = self._status
        self._status = DeviceStatus(state, detail)
        if previous.state is state:
            if previous.detail != detail:
                log.debug("%s: still %s: %s", self.port, state.value, detail)
            return
        log.info("%s: %s (%s)", self.port, state.value, detail)
        if self._on_status is not None:
            try:
                self._on_status(self._status)
            except Exception:
                log.exception("%s: on_status failed", self.port)
