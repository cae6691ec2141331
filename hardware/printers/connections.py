"""Links to receipt printers: python-escpos's printer classes with explicit time-outs.

Each class here wraps one python-escpos connection class and offers the few operations
:class:`hardware.printers.devices.EscposDevicePrinter` needs (:class:`PrinterConnection`):
open, write, read, discard input, finish, close. They raise ``OSError`` (``TimeoutError``
when a time-out expired) for anything that goes wrong on the wire, and
:class:`hardware.errors.PrinterUnavailable` for a set-up that cannot work at all (pyusb or
pywin32 missing); the device printer turns the former into :mod:`hardware.errors` with the
right ``maybe_printed``.

What python-escpos 3.1 does, and what is done about it here:

* ``Network``: ``_raw`` is ``sendall``, ``_read`` is ``recv(16)``; the time-out defaults to
  60 s. Its ``open()`` is IPv4 only and leaks the socket when the connection fails (a
  ``ResourceWarning`` each time), so the socket is made here with
  ``socket.create_connection`` and handed to it; its time-out is set before every operation
  to the time left. Name resolution (``getaddrinfo``) is not covered by any socket time-out:
  configure printers by IP address.
* ``Serial``: no write time-out is passed to pyserial and ``dsrdtr=True`` (DTR/DSR hardware
  flow control on Windows) is the default, which stalls on three-wire cables; ``_read`` is
  ``read(16)``, which waits for 16 bytes or the whole time-out; ``close()`` calls ``flush()``
  (``tcdrain``), which never returns on a stalled line. Here: no flow control unless asked,
  ``write_timeout`` set on the open port, ``read(1)`` plus what is waiting, a bounded wait for
  the output queue to empty, and a close that discards what could not be sent.
* ``Usb``: the time-out (pyusb milliseconds) defaults to 0, "none"; ``_read`` passes no
  time-out at all; ``open()`` resets the device, so the connection is kept open between jobs
  (a reset could drop data the printer has not printed yet); the endpoints default to
  0x82/0x01, which is wrong for many printers, so they are read from the interface
  descriptor when not configured.
* ``Win32Raw`` goes through the Windows spooler: no reads and no time-outs (the spooler takes
  the job at once); the printer's state comes from the spooler (``GetPrinter`` level 2).
* ``open()``/``close()`` log through the root logger (see
  :func:`hardware.printers.escpos_setup.root_logging_untouched`), and ``Escpos.__del__``
  calls ``close()``, which for ``Usb`` raises when pyusb is missing: the classes used here are
  subclasses with a silent ``__del__`` (every connection is closed explicitly).
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import socket
import threading
import time
from typing import Any, Literal, NoReturn, Protocol

from hardware.errors import PrinterUnavailable
from hardware.printers.escpos_setup import ensure_escpos_ready, root_logging_untouched

__all__ = [
    "FlowControl",
    "NetworkConnection",
    "PrinterConnection",
    "SerialConnection",
    "SpoolerState",
    "UsbConnection",
    "Win32RawConnection",
    "describe_failure",
]

logger = logging.getLogger(__name__)

FlowControl = Literal["none", "rtscts", "dsrdtr", "xonxoff"]

_OUTPUT_POLL_SECONDS = 0.02  # how often the serial output queue is looked at while draining
_USB_DISCARD_MS = 5


class PrinterConnection(Protocol):
    """One link to a printer, driven by :class:`~hardware.printers.devices.EscposDevicePrinter`.

    ``open`` may be called again after ``close``. Every method but ``close`` raises
    ``OSError`` on failure (``TimeoutError`` when its time-out expired); ``close`` never
    raises and discards whatever ``finish`` did not deliver.
    """

    @property
    def name(self) -> str:
        """Human readable: ``"192.168.1.50:9100"``, ``"/dev/ttyUSB0 9600"``, ``"USB 04b8:0202"``."""
        ...

    @property
    def keep_open(self) -> bool:
        """Whether the link should stay open between jobs (else it is opened for each one)."""
        ...

    @property
    def can_read(self) -> bool:
        """Whether the printer can answer (valid once open)."""
        ...

    def transfer_seconds(self, size: int) -> float:
        """How long the link itself needs to carry ``size`` bytes (0 for fast links)."""
        ...

    def open(self, timeout: float) -> None: ...

    def write(self, data: bytes, timeout: float) -> None:
        """Send all of ``data`` within ``timeout`` seconds."""
        ...

    def read(self, timeout: float) -> bytes:
        """Return at least one byte the printer sent, waiting at most ``timeout`` seconds."""
        ...

    def discard_input(self) -> None:
        """Forget whatever the printer sent that was not read yet."""
        ...

    def finish(self, timeout: float) -> None:
        """Make sure everything written reached the printer, within ``timeout`` seconds."""
        ...

    def close(self) -> None: ...


def describe_failure(exc: BaseException) -> str:
    """A short English reason for a connection failure (``"Connection refused"``)."""
    if isinstance(exc, TimeoutError):
        text = str(exc)
        return "timed out" if text in ("", "timed out") else text
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


# --------------------------------------------------------------------------- escpos classes

_classes: dict[str, Any] = {}
_classes_lock = threading.Lock()


def _silent_del(self: object) -> None:
    """Escpos.__del__ calls close(), which may raise; connections close explicitly."""


def _escpos_class(name: str) -> Any:
    """``escpos.printer.<name>`` subclassed with a silent ``__del__``."""
    ensure_escpos_ready()
    with _classes_lock:
        cls = _classes.get(name)
        if cls is None:
            import escpos.printer  # type: ignore[import-untyped]

            base = getattr(escpos.printer, name)
            cls = type(name, (base,), {"__del__": _silent_del, "__module__": __name__})
            _classes[name] = cls
        return cls


def _reraise_open_error(exc: BaseException, what: str) -> NoReturn:
    """Turn escpos's ``DeviceNotFoundError`` (which hides the ``OSError``) into an OSError."""
    cause = exc.__cause__ or exc.__context__
    if isinstance(cause, TimeoutError):
        raise TimeoutError(f"{what} timed out") from exc
    if isinstance(cause, OSError):
        raise OSError(cause.errno, cause.strerror or str(cause)) from exc
    text = str(cause) if cause is not None and str(cause) else str(exc)
    raise OSError(errno.ENODEV, text) from exc


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        return self.end - time.monotonic()


# --------------------------------------------------------------------------- network


class NetworkConnection:
    """A printer on a TCP port (raw printing, "JetDirect", port 9100), opened for each job.

    Printers take one client at a time on that port, and an idle connection kept open is
    dropped silently by a printer that restarts, so each job connects anew (a millisecond on
    a shop's LAN).

    With ``wait_eof`` (the default, as in CUPS's socket back-end), :meth:`finish` half-closes
    the connection after the data and waits for the printer to close its side: the printer
    does so only after reading everything, so the wait confirms that the whole receipt left
    the register. A printer that stops reading (buffer full because the paper ran out in the
    middle, hung) makes it time out. Turn it off only for a printer that never closes.
    """

    keep_open = False

    def __init__(self, host: str, port: int = 9100, *, wait_eof: bool = True) -> None:
        if not host:
            raise ValueError("a network printer needs a host")
        if not 0 < port < 65536:
            raise ValueError(f"port must be between 1 and 65535, got {port}")
        self.host = host
        self.port = port
        self.wait_eof = wait_eof
        self._printer: Any = None

    @property
    def name(self) -> str:
        try:
            is_v6 = ipaddress.ip_address(self.host).version == 6
        except ValueError:
            is_v6 = False
        return f"[{self.host}]:{self.port}" if is_v6 else f"{self.host}:{self.port}"

    @property
    def can_read(self) -> bool:
        return True

    def transfer_seconds(self, size: int) -> float:
        return 0.0

    def _socket(self) -> socket.socket:
        sock = self._printer._device if self._printer is not None else None
        if not isinstance(sock, socket.socket):
            raise OSError(errno.ENOTCONN, "not connected")
        return sock

    def open(self, timeout: float) -> None:
        if self._printer is None:
            self._printer = _escpos_class("Network")(self.host, self.port, timeout=timeout)
        self.close()
        try:
            sock = socket.create_connection((self.host, self.port), timeout=timeout)
        except TimeoutError as exc:
            raise TimeoutError(f"connecting timed out after {timeout:g} s") from exc
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._printer._device = sock

    def write(self, data: bytes, timeout: float) -> None:
        sock = self._socket()
        sock.settimeout(timeout)
        self._printer._raw(data)  # sendall: the time-out covers the whole call

    def read(self, timeout: float) -> bytes:
        sock = self._socket()
        sock.settimeout(max(timeout, 0.001))
        data: bytes = self._printer._read()  # recv(16)
        if not data:
            raise ConnectionResetError(errno.ECONNRESET, "the printer closed the connection")
        return data

    def discard_input(self) -> None:
        sock = self._socket()
        sock.settimeout(0.0)  # non-blocking: take only what is already there
        while True:
            try:
                chunk = sock.recv(4096)
            except BlockingIOError:
                return
            if not chunk:
                raise ConnectionResetError(errno.ECONNRESET, "the printer closed the connection")

    def finish(self, timeout: float) -> None:
        sock = self._socket()
        sock.shutdown(socket.SHUT_WR)  # the printer sees the end of the job after the data
        if not self.wait_eof:
            # Closing a socket with unread input resets the connection, which can drop data
            # not sent yet: take what the printer said so far.
            try:
                self.discard_input()
            except ConnectionResetError:
                pass
            return
        deadline = _Deadline(timeout)
        while True:
            left = deadline.left()
            if left <= 0:
                raise TimeoutError(
                    f"the printer did not confirm within {timeout:g} s that it took everything"
                )
            sock.settimeout(left)
            try:
                if not sock.recv(4096):  # the printer read everything and closed
                    return
            except TimeoutError:
                continue  # deadline check above

    def close(self) -> None:
        if self._printer is None or not self._printer._device:
            return
        sock = self._printer._device
        self._printer._device = False
        try:
            sock.close()
        except OSError:
            pass

    def __repr__(self) -> str:
        return f"NetworkConnection({self.host!r}, {self.port})"


# --------------------------------------------------------------------------- serial


class SerialConnection:
    """A printer on a serial port (RS-232, USB-serial adapter, USB-CDC), opened for each job.

    ``flow_control``: ``"none"`` (the default: a three-wire cable has no handshake lines, and
    hardware flow control on one stalls forever), ``"rtscts"``, ``"dsrdtr"`` or ``"xonxoff"``.
    """

    keep_open = False

    def __init__(
        self,
        device: str,
        *,
        baudrate: int = 9600,
        bytesize: int = 8,
        parity: str = "N",
        stopbits: float = 1,
        flow_control: FlowControl = "none",
    ) -> None:
        if not device:
            raise ValueError("a serial printer needs a device (/dev/ttyUSB0, COM3)")
        if baudrate <= 0:
            raise ValueError(f"baudrate must be positive, got {baudrate}")
        if flow_control not in ("none", "rtscts", "dsrdtr", "xonxoff"):
            raise ValueError(f"unknown flow control {flow_control!r}")
        self.device = device
        self.baudrate = baudrate
        self.bytesize = bytesize
        self.parity = parity
        self.stopbits = stopbits
        self.flow_control = flow_control
        self._printer: Any = None

    @property
    def name(self) -> str:
        return f"{self.device} {self.baudrate}"

    @property
    def can_read(self) -> bool:
        return True

    def transfer_seconds(self, size: int) -> float:
        """How long ``size`` bytes take on the wire (start, data, parity and stop bits)."""
        bits = 1 + self.bytesize + (0 if self.parity == "N" else 1) + self.stopbits
        return size * bits / self.baudrate

    def _port(self) -> Any:
        port = self._printer._device if self._printer is not None else None
        if not port:
            raise OSError(errno.ENOTCONN, "the serial port is not open")
        return port

    def open(self, timeout: float) -> None:
        if self._printer is None:
            self._printer = _escpos_class("Serial")(
                devfile=self.device,
                baudrate=self.baudrate,
                bytesize=self.bytesize,
                timeout=timeout,
                parity=self.parity,
                stopbits=self.stopbits,
                xonxoff=self.flow_control == "xonxoff",
                dsrdtr=self.flow_control == "dsrdtr",
            )
        self._printer.timeout = timeout
        try:
            with root_logging_untouched():
                self._printer.open()
        except Exception as exc:
            self._printer._device = False
            _reraise_open_error(exc, f"opening {self.device}")
        port = self._port()
        port.write_timeout = timeout
        if self.flow_control == "rtscts":  # escpos's Serial cannot pass it
            port.rtscts = True

    def write(self, data: bytes, timeout: float) -> None:
        import serial  # type: ignore[import-untyped]

        port = self._port()
        port.write_timeout = timeout
        try:
            self._printer._raw(data)
        except serial.SerialTimeoutException as exc:
            raise TimeoutError(
                f"the port did not take the data within {timeout:g} s "
                "(printer busy or flow control stalled)"
            ) from exc

    def read(self, timeout: float) -> bytes:
        port = self._port()
        port.timeout = max(timeout, 0.0)
        data: bytes = port.read(1)  # escpos's _read() waits for 16 bytes
        if not data:
            raise TimeoutError(f"no answer within {timeout:g} s")
        waiting = port.in_waiting
        return data + port.read(waiting) if waiting else data

    def discard_input(self) -> None:
        self._port().reset_input_buffer()

    def finish(self, timeout: float) -> None:
        port = self._port()
        deadline = _Deadline(timeout)
        while True:
            waiting = port.out_waiting
            if not waiting:
                return
            if deadline.left() <= 0:
                raise TimeoutError(
                    f"{waiting} bytes were still waiting to be sent after {timeout:g} s"
                )
            time.sleep(min(_OUTPUT_POLL_SECONDS, max(deadline.left(), 0)))

    def close(self) -> None:
        if self._printer is None or not self._printer._device:
            return
        port = self._printer._device
        self._printer._device = False
        try:
            if port.out_waiting:  # close() would wait for it to drain, maybe forever
                port.reset_output_buffer()
        except Exception:  # the port may be gone (unplugged adapter)
            pass
        try:
            port.close()
        except Exception:
            pass

    def __repr__(self) -> str:
        return f"SerialConnection({self.device!r}, baudrate={self.baudrate})"


# --------------------------------------------------------------------------- USB


def _is_usb_timeout(exc: BaseException) -> bool:
    return type(exc).__name__ == "USBTimeoutError" or getattr(exc, "errno", None) in (
        errno.ETIMEDOUT,
        getattr(errno, "WSAETIMEDOUT", errno.ETIMEDOUT),
    )


class UsbConnection:
    """A printer spoken to directly over USB with pyusb (libusb), kept open between jobs.

    Needs the ``pyusb`` package and the libusb library; on Linux the user needs access to the
    device (a udev rule) and the kernel's ``usblp`` driver is detached by python-escpos.
    Where ``usblp`` works, :class:`~hardware.printers.file_printer.FileReceiptPrinter` on
    ``/dev/usb/lp0`` needs none of that. ``in_ep``/``out_ep`` default to the first bulk IN
    and OUT endpoints of interface 0.
    """

    keep_open = True

    def __init__(
        self,
        vendor_id: int,
        product_id: int,
        *,
        in_ep: int | None = None,
        out_ep: int | None = None,
    ) -> None:
        for label, value in (("vendor_id", vendor_id), ("product_id", product_id)):
            if not 0 < value <= 0xFFFF:
                raise ValueError(f"{label} must be between 0x0001 and 0xFFFF, got {value:#x}")
        self.vendor_id = vendor_id
        self.product_id = product_id
        self.in_ep = in_ep
        self.out_ep = out_ep
        self._printer: Any = None
        self._in_ep: int | None = None

    @property
    def name(self) -> str:
        return f"USB {self.vendor_id:04x}:{self.product_id:04x}"

    @property
    def can_read(self) -> bool:
        return self._in_ep is not None

    def transfer_seconds(self, size: int) -> float:
        return 0.0

    def _device(self) -> Any:
        device = self._printer._device if self._printer is not None else None
        if not device:
            raise OSError(errno.ENOTCONN, "the USB printer is not open")
        return device

    def open(self, timeout: float) -> None:
        ensure_escpos_ready()
        import escpos.printer.usb as escpos_usb  # type: ignore[import-untyped]

        if not escpos_usb.is_usable():
            raise PrinterUnavailable(
                f"{self.name}: USB printers need the pyusb package and the libusb library "
                "(pip install pyusb); or use the kernel's printer device (/dev/usb/lp0) "
                "with a file printer"
            )
        self._printer = _escpos_class("Usb")(
            self.vendor_id,
            self.product_id,
            timeout=_milliseconds(timeout),
            in_ep=self.in_ep if self.in_ep is not None else 0x82,
            out_ep=self.out_ep if self.out_ep is not None else 0x01,
        )
        try:
            with root_logging_untouched():
                self._printer.open()
        except Exception as exc:
            self._printer._device = False
            cause = exc.__cause__ or exc.__context__
            if isinstance(cause, AssertionError):  # escpos asserts that find() found it
                raise OSError(
                    errno.ENODEV, "not found (unplugged, switched off, or no permission)"
                ) from exc
            _reraise_open_error(exc, f"opening {self.name}")
        in_ep, out_ep = self._endpoints()
        self._printer.out_ep = out_ep
        self._printer.in_ep = in_ep
        self._in_ep = in_ep

    def _endpoints(self) -> tuple[int | None, int]:
        """Configured endpoints, else the first bulk IN and OUT of interface 0."""
        if self.out_ep is not None:
            return self.in_ep, self.out_ep
        found_in: int | None = None
        found_out: int | None = None
        try:
            interface = self._device().get_active_configuration()[(0, 0)]
            for endpoint in interface:
                address = int(endpoint.bEndpointAddress)
                if int(endpoint.bmAttributes) & 0x03 != 0x02:  # not bulk
                    continue
                if address & 0x80:
                    found_in = address if found_in is None else found_in
                else:
                    found_out = address if found_out is None else found_out
        except Exception as exc:
            logger.warning("%s: cannot read its endpoints (%s); using 0x82/0x01", self.name, exc)
            return (self.in_ep if self.in_ep is not None else 0x82), 0x01
        if found_out is None:
            raise OSError(errno.ENODEV, "the device has no bulk OUT endpoint: not a printer?")
        return (self.in_ep if self.in_ep is not None else found_in), found_out

    def write(self, data: bytes, timeout: float) -> None:
        self._device()
        self._printer.timeout = _milliseconds(timeout)
        try:
            self._printer._raw(data)  # device.write(out_ep, data, timeout)
        except Exception as exc:
            if _is_usb_timeout(exc):
                raise TimeoutError(
                    f"the printer did not take the data within {timeout:g} s"
                ) from exc
            raise _usb_os_error(exc) from exc

    def read(self, timeout: float) -> bytes:
        device = self._device()
        if self._in_ep is None:
            raise OSError(errno.EOPNOTSUPP, "the printer has no IN endpoint")
        deadline = _Deadline(timeout)
        while True:
            left = deadline.left()
            if left <= 0:
                raise TimeoutError(f"no answer within {timeout:g} s")
            try:
                data = bytes(device.read(self._in_ep, 64, _milliseconds(left)))
            except Exception as exc:
                if _is_usb_timeout(exc):
                    continue
                raise _usb_os_error(exc) from exc
            if data:
                return data

    def discard_input(self) -> None:
        device = self._device()
        if self._in_ep is None:
            return
        for _ in range(4):
            try:
                if not bytes(device.read(self._in_ep, 64, _USB_DISCARD_MS)):
                    return
            except Exception as exc:
                if _is_usb_timeout(exc):
                    return
                raise _usb_os_error(exc) from exc

    def finish(self, timeout: float) -> None:
        """Nothing to wait for: a bulk write returns once the printer took every packet."""

    def close(self) -> None:
        if self._printer is None or not self._printer._device:
            return
        try:
            with root_logging_untouched():
                self._printer.close()  # usb.util.dispose_resources
        except Exception as exc:
            logger.debug("%s: closing failed: %s", self.name, exc)
        self._printer._device = False
        self._in_ep = None

    def __repr__(self) -> str:
        return f"UsbConnection({self.vendor_id:#06x}, {self.product_id:#06x})"


def _milliseconds(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def _usb_os_error(exc: BaseException) -> OSError:
    code = getattr(exc, "errno", None)
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return OSError(code if isinstance(code, int) else errno.EIO, reason)


# --------------------------------------------------------------------------- Windows


class SpoolerState:
    """The Windows spooler's view of a printer (``PRINTER_INFO_2``): flags and queued jobs."""

    # PRINTER_STATUS_* and PRINTER_ATTRIBUTE_WORK_OFFLINE, from winspool.h
    PAUSED = 0x00000001
    ERROR = 0x00000002
    PAPER_JAM = 0x00000008
    PAPER_OUT = 0x00000010
    OFFLINE = 0x00000080
    NOT_AVAILABLE = 0x00001000
    USER_INTERVENTION = 0x00100000
    DOOR_OPEN = 0x00400000
    WORK_OFFLINE = 0x00000400

    def __init__(self, status: int, attributes: int, jobs: int) -> None:
        self.status = status
        self.attributes = attributes
        self.jobs = jobs

    def __repr__(self) -> str:
        return (
            f"SpoolerState(status={self.status:#x}, attributes={self.attributes:#x}, "
            f"jobs={self.jobs})"
        )


class Win32RawConnection:
    """A printer installed in Windows, sent raw ESC/POS through the spooler (one job each).

    Going through the installed driver avoids replacing it with WinUSB for pyusb, the driver
    swap behind most of python-escpos's USB issues on Windows. There are no time-outs to set:
    the spooler takes the job at once and delivers it later. Needs pywin32 (Windows only).
    """

    keep_open = False
    can_read = False

    def __init__(self, printer_name: str, *, job_name: str = "Mostrador receipt") -> None:
        if not printer_name:
            raise ValueError("a Windows printer needs the name it is installed under")
        self.printer_name = printer_name
        self.job_name = job_name
        self._printer: Any = None

    @property
    def name(self) -> str:
        return self.printer_name

    def transfer_seconds(self, size: int) -> float:
        return 0.0

    def _require_windows(self) -> Any:
        ensure_escpos_ready()
        import escpos.printer.win32raw as escpos_win32  # type: ignore[import-untyped]

        if not escpos_win32.is_usable():
            import sys

            raise PrinterUnavailable(
                f"{self.printer_name}: Windows printers can only be used on Windows with pywin32 "
                f"installed (this system is {sys.platform})"
            )
        return escpos_win32

    def spooler_state(self) -> SpoolerState:
        """Ask the spooler for the printer's flags (raises OSError when it cannot)."""
        escpos_win32 = self._require_windows()
        win32print = escpos_win32.win32print
        try:
            handle = win32print.OpenPrinter(self.printer_name)
            try:
                info = win32print.GetPrinter(handle, 2)
            finally:
                win32print.ClosePrinter(handle)
        except escpos_win32.pywintypes.error as exc:
            raise OSError(errno.ENODEV, _pywin_reason(exc)) from exc
        return SpoolerState(
            int(info.get("Status", 0)), int(info.get("Attributes", 0)), int(info.get("cJobs", 0))
        )

    def open(self, timeout: float) -> None:
        self._require_windows()
        if self._printer is None:
            self._printer = _escpos_class("Win32Raw")(self.printer_name)
        try:
            with root_logging_untouched():
                self._printer.open(job_name=self.job_name)
        except Exception as exc:
            self._printer._device = False
            _reraise_open_error(exc, f"starting a print job on {self.printer_name}")

    def write(self, data: bytes, timeout: float) -> None:
        import escpos.printer.win32raw as escpos_win32

        try:
            self._printer._raw(data)  # WritePrinter
        except escpos_win32.pywintypes.error as exc:
            raise OSError(errno.EIO, _pywin_reason(exc)) from exc
        except Exception as exc:
            raise OSError(errno.EIO, str(exc) or type(exc).__name__) from exc

    def read(self, timeout: float) -> bytes:
        raise OSError(errno.EOPNOTSUPP, "the Windows spooler gives no answers from the printer")

    def discard_input(self) -> None:
        """Nothing can be read through the spooler."""

    def finish(self, timeout: float) -> None:
        """End the job: the spooler then sends it to the printer."""
        import escpos.printer.win32raw as escpos_win32

        try:
            with root_logging_untouched():
                self._printer.close()  # EndPagePrinter, EndDocPrinter, ClosePrinter
        except escpos_win32.pywintypes.error as exc:
            raise OSError(errno.EIO, _pywin_reason(exc)) from exc
        finally:
            self._printer._device = False

    def close(self) -> None:
        """Abandon an unfinished job (the spooler deletes it) and release the printer."""
        if self._printer is None or not self._printer._device:
            return
        handle = self._printer._device
        self._printer._device = False
        try:
            import escpos.printer.win32raw as escpos_win32

            escpos_win32.win32print.AbortPrinter(handle)
            escpos_win32.win32print.ClosePrinter(handle)
        except Exception as exc:
            logger.debug("%s: abandoning the job failed: %s", self.printer_name, exc)

    def __repr__(self) -> str:
        return f"Win32RawConnection({self.printer_name!r})"


def _pywin_reason(exc: BaseException) -> str:
    # pywintypes.error args: (winerror, funcname, strerror)
    args: tuple[Any, ...] = tuple(getattr(exc, "args", ()))
    if len(args) >= 3 and args[2]:
        return f"{args[2]} ({args[1]})"
    return str(exc) or type(exc).__name__
