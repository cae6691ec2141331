"""Receipt printers on real devices: network, serial, USB and Windows; status and cash drawer.

:class:`EscposDevicePrinter` does the work for every connection in
:mod:`hardware.printers.connections`; the four public subclasses only build their connection.

**One job, in order.** The receipt is rendered to bytes in memory first (python-escpos's
``Dummy`` printer, :func:`~hardware.printers.rendering.receipt_to_bytes`), then the
connection is opened, the printer's status asked, and the bytes sent in one write. Rendering
first means a rendering problem never leaves half a receipt on paper, the moment the first
byte leaves is exact (it decides ``maybe_printed``), the serial write time-out can grow with
the size of the receipt, and a network receipt leaves in full-sized TCP segments instead of
hundreds of small writes.

**Status before sending.** Where the connection can read (network, serial, USB), the printer
is asked ``DLE EOT 1`` (online?) and ``DLE EOT 4`` (paper sensor), and when offline ``DLE EOT
2`` and ``3`` for the cause. The bytes are written here rather than through escpos's
``query_status``/``is_online``/``paper_status``: ``paper_status`` reports "paper adequate"
when the printer says nothing, and ``_read`` takes up to 16 bytes (serial: waits for 16) so a
late or unsolicited byte would be taken for the answer. Here stale input is discarded first,
and only a byte with the fixed bits of a status answer (``0xx1xx10``) counts. A printer that
cannot answer (some cheap clones) needs ``check_status=False``.

**Errors.** Every failure is a :class:`~hardware.errors.PrinterError`; nothing from the
operating system or python-escpos escapes. ``maybe_printed`` is ``False`` up to the status
check (connection refused, no answer, no paper: certainly nothing printed) and ``True`` once
the first byte of the receipt may have left (a retry must print a copy).

**Time-outs.** ``timeout`` bounds connecting, each status exchange (all the questions of one
check share it) and the drawer kick; sending a receipt may take ``timeout`` plus the larger
of the time the bytes need on the wire (serial) and in the printer (``size / 8 KiB/s``).
:meth:`status` never takes more than ``timeout`` in all, even when a job holds the printer.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from hardware.errors import (
    PrinterError,
    PrinterNotReady,
    PrinterOutOfPaper,
    PrinterUnavailable,
)
from hardware.printers.connections import (
    FlowControl,
    NetworkConnection,
    PrinterConnection,
    SerialConnection,
    SpoolerState,
    UsbConnection,
    Win32RawConnection,
    describe_failure,
)
from hardware.printers.logo import ReceiptLogo
from hardware.printers.rendering import MIN_WIDTH, receipt_to_bytes
from hardware.receipt import ReceiptDocument
from hardware.status import DeviceState, DeviceStatus

__all__ = [
    "DRAWER_PINS",
    "EscposDevicePrinter",
    "NetworkReceiptPrinter",
    "SerialReceiptPrinter",
    "UsbReceiptPrinter",
    "Win32ReceiptPrinter",
    "drawer_kick_bytes",
    "validate_printer_settings",
]

logger = logging.getLogger(__name__)

DRAWER_PINS = (2, 5)
_DLE_EOT = b"\x10\x04"
# A DLE EOT answer is 0xx1xx10: bits 1 and 4 set, bits 0 and 7 clear.
_ANSWER_MASK = 0x93
_ANSWER_FIXED = 0x12
_PRINTER_BYTES_PER_SECOND = 8192  # how fast a printer takes data it cannot buffer (slow text)


def validate_printer_settings(width: int, drawer_pin: int, timeout: float | None = None) -> None:
    """Raise ``ValueError`` for settings no printer can use."""
    if width < MIN_WIDTH:
        raise ValueError(f"width must be at least {MIN_WIDTH} columns, got {width}")
    if drawer_pin not in DRAWER_PINS:
        raise ValueError(f"drawer_pin must be 2 or 5, got {drawer_pin}")
    if timeout is not None and not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout}")


def drawer_kick_bytes(pin: int) -> bytes:
    """python-escpos's drawer kick for ``pin`` (``ESC p m 50 50``: 100 ms on, 100 ms off)."""
    if pin not in DRAWER_PINS:
        raise ValueError(f"drawer_pin must be 2 or 5, got {pin}")
    from hardware.printers.escpos_setup import ensure_escpos_ready

    ensure_escpos_ready()
    from escpos.printer import Dummy  # type: ignore[import-untyped]

    dummy = Dummy()
    dummy.cashdraw(pin)
    kick: bytes = dummy.output
    return kick


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()


class _UnexpectedAnswer(Exception):
    def __init__(self, data: bytes) -> None:
        super().__init__(" ".join(f"0x{b:02X}" for b in data[:8]))
        self.data = data


def _error_cause(error: int) -> str:
    """DLE EOT 3: why the printer stopped."""
    causes = []
    if error & 0x08:
        causes.append("the autocutter is jammed")
    if error & 0x04:
        causes.append("mechanical error")
    if error & 0x20:
        causes.append("unrecoverable error (switch it off and on)")
    if error & 0x40:
        causes.append("the print head is too hot (it recovers by itself)")
    return ", ".join(causes) or "reports an error"


class EscposDevicePrinter:
    """A receipt printer reached through connections made by ``connection_factory``.

    The factory is called for each job (a connection whose ``keep_open`` is true is kept
    until it fails or :meth:`close` is called). ``width`` is 48 columns for 80 mm paper, 32
    for 58 mm. ``logo`` is an image file printed at the top of each receipt; when it is
    missing or unreadable the receipt prints without it (one warning in the log).
    ``drawer_pin`` is the drawer connector pin, 2 or 5. ``check_status=False`` skips the
    status questions, for printers that never answer them.

    Methods are thread-safe: one job at a time per printer.
    """

    def __init__(
        self,
        connection_factory: Callable[[], PrinterConnection],
        *,
        width: int = 48,
        logo: str | os.PathLike[str] | None = None,
        drawer_pin: int = 2,
        timeout: float = 5.0,
        check_status: bool = True,
        name: str | None = None,
    ) -> None:
        validate_printer_settings(width, drawer_pin, timeout)
        self._factory = connection_factory
        self._spare: PrinterConnection | None = connection_factory()
        self.name = name or self._spare.name
        self.width = width
        self.logo = Path(logo) if logo else None
        self._logo = ReceiptLogo(self.logo, width=width) if self.logo else None
        self.drawer_pin = drawer_pin
        self.timeout = float(timeout)
        self.check_status = check_status
        self._kept: PrinterConnection | None = None
        self._lock = threading.Lock()
        self._last_status = DeviceStatus(DeviceState.CONNECTING, f"{self.name}: not asked yet")

    # ------------------------------------------------------------------ public surface

    def print_receipt(self, doc: ReceiptDocument) -> None:
        """Print ``doc``; raises a :class:`~hardware.errors.PrinterError` subclass.

        ``PrinterUnavailable`` (cannot connect, no answer, failed while sending),
        ``PrinterOutOfPaper``, ``PrinterNotReady`` (cover open, cutter jammed...); each with
        ``maybe_printed`` telling whether any of the receipt may be on paper.
        """
        data = self._render(doc)
        started = time.monotonic()
        try:
            with self._lock:
                self._print_bytes(data)
        except PrinterError as exc:
            self._remember_failure(exc)
            logger.warning("Receipt not printed: %s (maybe printed: %s)", exc, exc.maybe_printed)
            raise
        logger.debug(
            "%s: printed a receipt of %d bytes in %.0f ms",
            self.name,
            len(data),
            (time.monotonic() - started) * 1000,
        )

    def status(self) -> DeviceStatus:
        """The printer's state now; never raises, takes at most ``timeout`` seconds."""
        deadline = _Deadline(self.timeout)
        # A job holds the printer: wait for half the time-out at most, so that what is left
        # is still enough to ask; else report the last state known.
        if not self._lock.acquire(blocking=False) and not self._lock.acquire(
            timeout=self.timeout / 2
        ):
            last = self._last_status
            return DeviceStatus(last.state, f"{last.detail} (busy with a job)")
        try:
            status = self._status_now(deadline)
        except Exception as exc:  # the screen asking must never break
            logger.exception("%s: status query failed unexpectedly", self.name)
            status = DeviceStatus(DeviceState.ERROR, f"{self.name}: {describe_failure(exc)}")
        finally:
            self._lock.release()
        self._last_status = status
        return status

    def open_drawer(self) -> None:
        """Kick the cash drawer on :attr:`drawer_pin`; raises ``PrinterError`` on failure.

        The kick is sent even when the printer is out of paper (the drawer needs none); a
        printer that is offline may hold it until it is back online.
        """
        kick = drawer_kick_bytes(self.drawer_pin)
        with self._lock:
            # a connection kept from an earlier job may be dead: one fresh try (a second kick
            # after a failed one does no harm)
            attempts = 2 if self._kept is not None else 1
            for attempt in range(attempts):
                connection = self._open_connection(_Deadline(self.timeout))
                ok = False
                try:
                    deadline = _Deadline(self.timeout)
                    connection.write(kick, deadline.left())
                    connection.finish(max(deadline.left(), 0.001))
                    ok = True
                    break
                except Exception as exc:
                    if attempt + 1 < attempts:
                        logger.info("%s: kept connection failed (%s); reconnecting", self.name, exc)
                        continue
                    error = PrinterUnavailable(
                        f"{self.name}: cannot open the cash drawer ({describe_failure(exc)})"
                    )
                    self._remember_failure(error)
                    raise error from exc
                finally:
                    self._release(connection, ok)
        logger.info("%s: cash drawer kicked on pin %d", self.name, self.drawer_pin)

    def close(self) -> None:
        """Release any connection kept open; the printer reopens it on its next job."""
        with self._lock:
            kept, self._kept = self._kept, None
            if kept is not None:
                kept.close()

    def __enter__(self) -> EscposDevicePrinter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}, width={self.width})"

    # ------------------------------------------------------------------ the job

    def _render(self, doc: ReceiptDocument) -> bytes:
        logo = self._logo.image() if self._logo is not None else None
        try:
            return receipt_to_bytes(doc, width=self.width, logo=logo)
        except PrinterError:
            raise
        except Exception as exc:
            logger.exception("%s: the receipt could not be rendered", self.name)
            raise PrinterError(f"{self.name}: the receipt could not be rendered: {exc}") from exc

    def _print_bytes(self, data: bytes) -> None:
        checked, status = self._checked_connection()
        ok = False
        try:
            self._deliver(checked, data)
            ok = True
        finally:
            self._release(checked, ok)
        self._last_status = status

    def _checked_connection(self) -> tuple[PrinterConnection, DeviceStatus]:
        """An open connection to a printer that said it can print (nothing sent yet).

        A connection kept open from an earlier job that fails here is dropped and one fresh
        connection is tried: the printer may have been switched off and on meanwhile.
        """
        attempts = 2 if self._kept is not None else 1
        for attempt in range(attempts):
            deadline = _Deadline(self.timeout)
            connection = self._spare_or_new() if self._kept is None else self._kept
            try:
                before = self._status_before_opening(connection, deadline)
            except OSError as exc:
                raise PrinterUnavailable(f"{self.name}: {describe_failure(exc)}") from exc
            if before is not None:
                self._raise_unless_ready(before)
            connection = self._open_connection(deadline, connection)
            ok = False
            try:
                status = before or self._query_state(connection, _Deadline(self.timeout))
                self._raise_unless_ready(status)
                ok = True
                return connection, status
            except OSError as exc:
                if attempt + 1 < attempts:
                    logger.info("%s: kept connection failed (%s); reconnecting", self.name, exc)
                    continue
                raise PrinterUnavailable(self._no_answer(exc)) from exc
            except _UnexpectedAnswer as exc:
                raise PrinterNotReady(self._odd_answer(exc)) from exc
            finally:
                if not ok:
                    self._release(connection, False)
        raise AssertionError("unreachable")  # pragma: no cover

    def _deliver(self, connection: PrinterConnection, data: bytes) -> None:
        # the wire (serial) and the printer (slow text beyond its buffer) work at the same time
        wire = connection.transfer_seconds(len(data))
        allowance = max(wire, len(data) / _PRINTER_BYTES_PER_SECOND)
        deadline = _Deadline(self.timeout + allowance)
        try:
            connection.write(data, deadline.left())
            connection.finish(max(deadline.left(), 0.001))
        except Exception as exc:
            if isinstance(exc, TimeoutError):
                reason = f"timed out after {deadline.seconds:.1f} s: {describe_failure(exc)}"
            else:
                reason = describe_failure(exc)
            raise PrinterUnavailable(
                f"{self.name}: sending the receipt failed ({reason}); "
                "part or all of it may have printed",
                maybe_printed=True,
            ) from exc

    # ------------------------------------------------------------------ connections

    def _spare_or_new(self) -> PrinterConnection:
        spare, self._spare = self._spare, None
        return spare if spare is not None else self._factory()

    def _open_connection(
        self, deadline: _Deadline, connection: PrinterConnection | None = None
    ) -> PrinterConnection:
        if connection is None:
            if self._kept is not None:
                return self._kept
            connection = self._spare_or_new()
        if connection is self._kept:
            return connection
        try:
            connection.open(max(deadline.left(), 0.001))
        except PrinterError:
            raise
        except Exception as exc:
            connection.close()
            raise PrinterUnavailable(
                f"{self.name}: cannot connect ({describe_failure(exc)})"
            ) from exc
        if connection.keep_open:
            self._kept = connection
        return connection

    def _release(self, connection: PrinterConnection, ok: bool) -> None:
        if ok and connection is self._kept:
            return
        if connection is self._kept:
            self._kept = None
        connection.close()

    # ------------------------------------------------------------------ status

    def _status_now(self, deadline: _Deadline) -> DeviceStatus:
        connection = self._kept if self._kept is not None else self._spare_or_new()
        try:
            before = self._status_before_opening(connection, deadline)
        except PrinterError as exc:
            return DeviceStatus(DeviceState.OFFLINE, str(exc))
        except OSError as exc:
            return DeviceStatus(DeviceState.OFFLINE, f"{self.name}: {describe_failure(exc)}")
        if before is not None:
            return before
        try:
            connection = self._open_connection(deadline, connection)
        except PrinterError as exc:
            return DeviceStatus(DeviceState.OFFLINE, str(exc))
        ok = False
        try:
            status = self._query_state(connection, deadline)
            ok = True
        except OSError as exc:
            status = DeviceStatus(DeviceState.OFFLINE, self._no_answer(exc))
        except _UnexpectedAnswer as exc:
            status = DeviceStatus(DeviceState.ERROR, self._odd_answer(exc))
        finally:
            self._release(connection, ok)
        return status

    def _status_before_opening(
        self, connection: PrinterConnection, deadline: _Deadline
    ) -> DeviceStatus | None:
        """A state known without opening the connection (Windows spooler), else ``None``."""
        return None

    def _query_state(self, connection: PrinterConnection, deadline: _Deadline) -> DeviceStatus:
        """Ask the printer (``DLE EOT``); raises OSError or _UnexpectedAnswer."""
        if not self.check_status:
            return DeviceStatus(DeviceState.READY, f"{self.name}: connected (status check off)")
        if not connection.can_read:
            return DeviceStatus(
                DeviceState.READY, f"{self.name}: connected (the printer cannot report its state)"
            )
        printer = self._ask(connection, 1, deadline)
        paper = self._ask(connection, 4, deadline)
        name = self.name
        if printer & 0x08:  # offline: ask why
            cause = self._ask(connection, 2, deadline)
            if cause & 0x04:
                return DeviceStatus(DeviceState.ERROR, f"{name}: the cover is open")
            if cause & 0x20 or paper & 0x60:
                return DeviceStatus(DeviceState.NO_PAPER, f"{name}: out of paper")
            if cause & 0x40:
                error = self._ask(connection, 3, deadline)
                return DeviceStatus(DeviceState.ERROR, f"{name}: {_error_cause(error)}")
            if cause & 0x08:
                return DeviceStatus(
                    DeviceState.ERROR, f"{name}: paper is being fed with the FEED button"
                )
            return DeviceStatus(DeviceState.ERROR, f"{name}: the printer reports it is offline")
        if paper & 0x60:
            return DeviceStatus(DeviceState.NO_PAPER, f"{name}: out of paper")
        if paper & 0x0C:
            return DeviceStatus(DeviceState.READY, f"{name}: ready, paper near its end")
        return DeviceStatus(DeviceState.READY, f"{name}: ready")

    def _ask(self, connection: PrinterConnection, n: int, deadline: _Deadline) -> int:
        """Send ``DLE EOT n`` and return the printer's answer byte."""
        connection.discard_input()
        if deadline.left() <= 0:
            raise TimeoutError(f"no answer within {deadline.seconds:g} s")
        connection.write(_DLE_EOT + bytes([n]), deadline.left())
        stray = bytearray()
        while True:
            left = deadline.left()
            try:
                if left <= 0:
                    raise TimeoutError(f"no answer within {deadline.seconds:g} s")
                data = connection.read(left)
            except TimeoutError:
                if stray:
                    raise _UnexpectedAnswer(bytes(stray)) from None
                raise
            for value in data:
                if value & _ANSWER_MASK == _ANSWER_FIXED:
                    return value
                stray.append(value)

    def _raise_unless_ready(self, status: DeviceStatus) -> None:
        if status.state is DeviceState.READY:
            if "near" in status.detail:
                logger.info("%s", status.detail)
            return
        if status.state is DeviceState.NO_PAPER:
            raise PrinterOutOfPaper(status.detail)
        if status.state is DeviceState.ERROR:
            raise PrinterNotReady(status.detail)
        raise PrinterUnavailable(status.detail)

    def _no_answer(self, exc: BaseException) -> str:
        if isinstance(exc, TimeoutError):
            hint = (
                ""
                if not self.check_status
                else ("; if this printer cannot report its status, turn the status check off")
            )
            return f"{self.name}: no answer to the status request within {self.timeout:g} s{hint}"
        return f"{self.name}: {describe_failure(exc)}"

    def _odd_answer(self, exc: _UnexpectedAnswer) -> str:
        return (
            f"{self.name}: answered {exc} to a status request "
            "(not an ESC/POS printer, or the wrong baud rate?)"
        )

    def _remember_failure(self, exc: PrinterError) -> None:
        if isinstance(exc, PrinterOutOfPaper):
            state = DeviceState.NO_PAPER
        elif isinstance(exc, PrinterNotReady):
            state = DeviceState.ERROR
        elif isinstance(exc, PrinterUnavailable):
            state = DeviceState.OFFLINE
        else:
            state = DeviceState.ERROR
        self._last_status = DeviceStatus(state, str(exc))


# --------------------------------------------------------------------------- concrete printers


class NetworkReceiptPrinter(EscposDevicePrinter):
    """A printer on the shop's network, raw TCP (port 9100). Configure it by IP address.

    ``wait_eof`` (default on): after each job, wait until the printer closes the connection,
    which proves it took the whole receipt (see :class:`NetworkConnection`).
    """

    def __init__(
        self,
        host: str,
        port: int = 9100,
        *,
        timeout: float = 5.0,
        width: int = 48,
        logo: str | os.PathLike[str] | None = None,
        drawer_pin: int = 2,
        check_status: bool = True,
        wait_eof: bool = True,
    ) -> None:
        NetworkConnection(host, port)  # validates before anything else
        super().__init__(
            lambda: NetworkConnection(host, port, wait_eof=wait_eof),
            width=width,
            logo=logo,
            drawer_pin=drawer_pin,
            timeout=timeout,
            check_status=check_status,
        )
        self.host = host
        self.port = port


class SerialReceiptPrinter(EscposDevicePrinter):
    """A printer on a serial port (``/dev/ttyUSB0``, ``/dev/ttyS0``, ``COM3``), 8N1 by default.

    No flow control by default: three-wire cables (TX, RX, ground) are common and hardware
    flow control stalls on them. Match ``baudrate`` to the printer's self-test page.
    """

    def __init__(
        self,
        device: str,
        *,
        baudrate: int = 9600,
        timeout: float = 5.0,
        bytesize: int = 8,
        parity: str = "N",
        stopbits: float = 1,
        flow_control: FlowControl = "none",
        width: int = 48,
        logo: str | os.PathLike[str] | None = None,
        drawer_pin: int = 2,
        check_status: bool = True,
    ) -> None:
        def connect() -> SerialConnection:
            return SerialConnection(
                device,
                baudrate=baudrate,
                bytesize=bytesize,
                parity=parity,
                stopbits=stopbits,
                flow_control=flow_control,
            )

        super().__init__(
            connect,
            width=width,
            logo=logo,
            drawer_pin=drawer_pin,
            timeout=timeout,
            check_status=check_status,
        )
        self.device = device
        self.baudrate = baudrate


class UsbReceiptPrinter(EscposDevicePrinter):
    """A printer driven directly over USB (pyusb and libusb needed), e.g. ``0x04B8, 0x0202``.

    The connection stays open between jobs (python-escpos resets the device on every open).
    ``in_ep``/``out_ep`` default to the interface's first bulk endpoints.
    """

    def __init__(
        self,
        vendor_id: int,
        product_id: int,
        *,
        timeout: float = 5.0,
        in_ep: int | None = None,
        out_ep: int | None = None,
        width: int = 48,
        logo: str | os.PathLike[str] | None = None,
        drawer_pin: int = 2,
        check_status: bool = True,
    ) -> None:
        UsbConnection(vendor_id, product_id)  # validates the ids
        super().__init__(
            lambda: UsbConnection(vendor_id, product_id, in_ep=in_ep, out_ep=out_ep),
            width=width,
            logo=logo,
            drawer_pin=drawer_pin,
            timeout=timeout,
            check_status=check_status,
        )
        self.vendor_id = vendor_id
        self.product_id = product_id


class Win32ReceiptPrinter(EscposDevicePrinter):
    """A printer installed in Windows, by the name Windows shows (``"EPSON TM-T20III Receipt"``).

    Jobs go raw through the spooler; the state comes from the spooler (drivers such as
    Epson's report paper out, offline and cover open; a generic text driver reports nothing,
    and the printer then always looks ready). Can be built anywhere; used off Windows (or
    without pywin32) it raises ``PrinterUnavailable`` saying so.
    """

    def __init__(
        self,
        printer_name: str,
        *,
        timeout: float = 5.0,
        width: int = 48,
        logo: str | os.PathLike[str] | None = None,
        drawer_pin: int = 2,
        check_status: bool = True,
    ) -> None:
        Win32RawConnection(printer_name)  # validates the name
        super().__init__(
            lambda: Win32RawConnection(printer_name),
            width=width,
            logo=logo,
            drawer_pin=drawer_pin,
            timeout=timeout,
            check_status=check_status,
        )
        self.printer_name = printer_name

    def _status_before_opening(
        self, connection: PrinterConnection, deadline: _Deadline
    ) -> DeviceStatus | None:
        if not isinstance(connection, Win32RawConnection):  # pragma: no cover - a subclass's
            return None
        state = connection.spooler_state()
        if not self.check_status:
            return DeviceStatus(DeviceState.READY, f"{self.name}: status check off")
        return _spooler_status(self.name, state)


def _spooler_status(name: str, state: SpoolerState) -> DeviceStatus:
    flags = state.status
    if state.attributes & SpoolerState.WORK_OFFLINE or flags & SpoolerState.OFFLINE:
        return DeviceStatus(DeviceState.OFFLINE, f"{name}: offline (Windows spooler)")
    if flags & SpoolerState.NOT_AVAILABLE:
        return DeviceStatus(DeviceState.OFFLINE, f"{name}: not available (Windows spooler)")
    if flags & SpoolerState.PAPER_OUT:
        return DeviceStatus(DeviceState.NO_PAPER, f"{name}: out of paper")
    if flags & SpoolerState.DOOR_OPEN:
        return DeviceStatus(DeviceState.ERROR, f"{name}: the cover is open")
    if flags & SpoolerState.PAPER_JAM:
        return DeviceStatus(DeviceState.ERROR, f"{name}: paper jam")
    if flags & SpoolerState.PAUSED:
        return DeviceStatus(DeviceState.ERROR, f"{name}: paused in Windows (resume its queue)")
    if flags & (SpoolerState.ERROR | SpoolerState.USER_INTERVENTION):
        return DeviceStatus(DeviceState.ERROR, f"{name}: the printer reports an error")
    waiting = f", {state.jobs} jobs queued" if state.jobs else ""
    return DeviceStatus(DeviceState.READY, f"{name}: ready{waiting}")
