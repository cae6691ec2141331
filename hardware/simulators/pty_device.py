"""A pseudo-terminal that stands in for a serial device, under a path that survives replugs.

The application opens :attr:`PtyDevice.path`, a symbolic link in a directory the caller
chooses (``tmp_path / "ttyScanner"``), exactly as it opens ``/dev/ttyUSB0``. The simulator
holds the other side (the pty master) and:

- :meth:`PtyDevice.write` sends bytes to the application (a scanner's scan, a scale's answer);
- with ``on_data``, a background thread hands every byte the application writes to a callback
  (a display's commands, a scale's requests);
- :meth:`PtyDevice.unplug` removes the link and closes the pty: the application's reads fail
  (pyserial raises ``SerialException``: "device reports readiness to read but returned no
  data" or "read failed: [Errno 5]"), its writes fail (``[Errno 5]``) and reopening the path
  fails (``[Errno 2] No such file or directory``), as with a USB cable pulled out;
- :meth:`PtyDevice.replug` makes a fresh pty (a new ``/dev/pts/N``) behind the same path.

Facts about Linux ptys that shape this module (checked with pyserial 3.5):

- While no slave descriptor is open, reading the master fails with ``EIO`` and ``select``
  reports it readable forever, so a reader would spin. The simulator therefore keeps a slave
  descriptor of its own open for as long as the device is plugged in; the application's
  opening and closing of the port is then invisible to the master.
- pyserial's ``open()`` flushes the input queue (``tcflush(TCIFLUSH)``): bytes written before
  the application opened the port are discarded, as a real USB-CDC port that nobody opened
  drops them. :meth:`PtyDevice.wait_until_read` tells when the application has read
  everything sent so far (``FIONREAD`` on the slave, after a ``poll`` of the slave: bytes
  written to the master reach the slave's queue in deferred kernel work, which the poll runs).
- The line settings mean nothing on a pty. :meth:`PtyDevice.line_settings` reads back what
  the application asked for, except data bits and parity, which Linux forces to 8N.

Threads and descriptors: one reader thread per plugged-in period (only with ``on_data``),
woken by a pipe, never polling; :meth:`PtyDevice.close` (or leaving the ``with`` block) joins
it and closes every descriptor.

:class:`PtySimulator` is the base of the device simulators built on a :class:`PtyDevice`
(scanner, display, scale): the stable path, plugging, line settings and the ``with`` block.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import select
import selectors
import struct
import termios
import threading
import time
import tty
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Self

__all__ = ["LineSettings", "PtyDevice", "PtySimulator"]

log = logging.getLogger(__name__)

_READ_SIZE = 4096
_POLL_INTERVAL = 0.005  # wait_until_read: the kernel offers no event for "the slave has read"

_BAUDRATES = {
    getattr(termios, name): int(name[1:])
    for name in dir(termios)
    if name.startswith("B") and name[1:].isdigit()
}


@dataclass(frozen=True, slots=True)
class LineSettings:
    """What the application configured on the port that a Linux pty keeps.

    The pty driver forces 8 data bits and no parity whatever is asked (``pty_set_termios``),
    so those two cannot be checked here; speed, stop bits and flow control are kept.
    """

    baudrate: int
    stopbits: int  # 1 or 2
    rtscts: bool  # hardware flow control
    xonxoff: bool  # software flow control


class _Reader:
    """The thread that hands the application's bytes to ``on_data`` until stopped."""

    def __init__(self, master: int, on_data: Callable[[bytes], None], name: str) -> None:
        self._master = master
        self._on_data = on_data
        self._wake_r, self._wake_w = os.pipe()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        os.write(self._wake_w, b"x")
        self._thread.join()
        os.close(self._wake_r)
        os.close(self._wake_w)

    def _run(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._master, selectors.EVENT_READ)
            selector.register(self._wake_r, selectors.EVENT_READ)
            while True:
                ready = {key.fd for key, _ in selector.select()}
                if self._wake_r in ready:
                    return
                try:
                    data = os.read(self._master, _READ_SIZE)
                except OSError as exc:
                    # Cannot happen while our own slave descriptor is open; if it does, wait
                    # for stop() instead of spinning on a master that is always "readable".
                    log.warning("pty master read failed: %s", exc)
                    selector.unregister(self._master)
                    continue
                if not data:
                    selector.unregister(self._master)
                    continue
                try:
                    self._on_data(data)
                except Exception:
                    log.exception("the simulator's data callback failed")


class _ClosedOnExit:
    """A context manager whose ``with`` block ends with :meth:`close`."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class PtyDevice(_ClosedOnExit):
    """A pty pair behind the symbolic link ``link_path``; plugged in on creation.

    ``link_path`` must not exist, or be a symbolic link (a stale one from an earlier run is
    replaced); a regular file there is never overwritten.
    """

    def __init__(
        self,
        link_path: str | os.PathLike[str],
        *,
        on_data: Callable[[bytes], None] | None = None,
    ) -> None:
        self._link = Path(link_path)
        if self._link.exists() and not self._link.is_symlink():
            raise FileExistsError(f"{self._link} exists and is not a symbolic link")
        self._on_data = on_data
        self._lock = threading.Lock()  # guards the descriptors; held during writes
        self._master: int | None = None
        self._slave: int | None = None
        self._device_name: str | None = None
        self._reader: _Reader | None = None
        self._closed = False
        self._plug()

    # --- state ----------------------------------------------------------------------------
    @property
    def path(self) -> str:
        """The stable path the application opens."""
        return str(self._link)

    @property
    def device_name(self) -> str | None:
        """The current ``/dev/pts/N`` behind :attr:`path`, or None while unplugged."""
        return self._device_name

    @property
    def plugged(self) -> bool:
        return self._master is not None

    # --- data -----------------------------------------------------------------------------
    def write(self, data: bytes) -> None:
        """Send ``data`` to the application. Raises ``RuntimeError`` while unplugged."""
        with self._lock:
            if self._master is None:
                raise RuntimeError(f"{self._link}: the device is unplugged")
            view = memoryview(data)
            while view:
                written = os.write(self._master, view)
                view = view[written:]

    def unread_count(self) -> int:
        """How many bytes sent with :meth:`write` the application has not read yet."""
        with self._lock:
            if self._slave is None:
                return 0
            # The kernel moves bytes from the master to the slave's queue in a deferred work
            # item, so FIONREAD right after a write may still say 0. Polling the slave runs
            # that work first (n_tty_poll calls tty_buffer_flush_work).
            poller = select.poll()
            poller.register(self._slave, select.POLLIN)
            poller.poll(0)
            raw = fcntl.ioctl(self._slave, termios.FIONREAD, b"\0\0\0\0")
            return int(struct.unpack("i", raw)[0])

    def wait_until_read(self, timeout: float = 2.0) -> None:
        """Wait (bounded) until the application has read every byte sent so far.

        Raises ``TimeoutError`` if it has not after ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        while (unread := self.unread_count()) > 0:
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{self._link}: {unread} bytes still unread after {timeout} s")
            time.sleep(_POLL_INTERVAL)

    def line_settings(self) -> LineSettings:
        """The framing the application last configured (raises ``RuntimeError`` if unplugged)."""
        with self._lock:
            if self._slave is None:
                raise RuntimeError(f"{self._link}: the device is unplugged")
            iflag, _oflag, cflag, _lflag, _ispeed, ospeed, _cc = termios.tcgetattr(self._slave)
        return LineSettings(
            baudrate=_BAUDRATES.get(ospeed, 0),
            stopbits=2 if cflag & termios.CSTOPB else 1,
            rtscts=bool(cflag & getattr(termios, "CRTSCTS", 0)),
            xonxoff=bool(iflag & termios.IXON),
        )

    # --- plugging -------------------------------------------------------------------------
    def unplug(self) -> None:
        """Pull the cable: remove the link and close the pty. Idempotent."""
        with self._lock:
            master, slave, reader = self._master, self._slave, self._reader
            self._master = self._slave = self._reader = None
            self._device_name = None
            with contextlib.suppress(FileNotFoundError):
                self._link.unlink()
        if reader is not None:
            reader.stop()
        for fd in (master, slave):
            if fd is not None:
                os.close(fd)

    def replug(self) -> None:
        """Plug the device back in: a fresh pty behind the same path."""
        if self._closed:
            raise RuntimeError(f"{self._link}: the simulator is closed")
        self.unplug()
        self._plug()

    def close(self) -> None:
        """Unplug for good: joins the reader thread and closes every descriptor."""
        self._closed = True
        self.unplug()

    def __repr__(self) -> str:
        return f"PtyDevice({self.path!r} -> {self._device_name!r})"

    def _plug(self) -> None:
        master, slave = os.openpty()
        try:
            tty.setraw(slave)  # no echo, no line editing, no CR/LF translation
            name = os.ttyname(slave)
            temporary = self._link.with_name(f".{self._link.name}.{os.getpid()}.tmp")
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
            temporary.symlink_to(name)
            os.replace(temporary, self._link)  # atomic: the path never points nowhere
        except BaseException:
            os.close(master)
            os.close(slave)
            raise
        reader = None
        if self._on_data is not None:
            reader = _Reader(master, self._on_data, name=f"pty-reader {self._link.name}")
        with self._lock:
            self._master, self._slave, self._reader = master, slave, reader
            self._device_name = name
        log.debug("%s plugged in as %s", self._link, name)


class PtySimulator(_ClosedOnExit):
    """A simulated serial device behind the stable path :attr:`path`; plugged in on creation.

    Subclasses add the device's behaviour; ``on_data`` receives what the application writes
    (on the pty's reader thread).
    """

    def __init__(
        self,
        link_path: str | os.PathLike[str],
        *,
        on_data: Callable[[bytes], None] | None = None,
    ) -> None:
        self._device = PtyDevice(link_path, on_data=on_data)

    @property
    def path(self) -> str:
        return self._device.path

    @property
    def plugged(self) -> bool:
        return self._device.plugged

    def line_settings(self) -> LineSettings:
        """The speed and flow control the application configured (see :class:`LineSettings`)."""
        return self._device.line_settings()

    def unplug(self) -> None:
        self._device.unplug()

    def replug(self) -> None:
        self._device.replug()

    def close(self) -> None:
        self._device.close()
