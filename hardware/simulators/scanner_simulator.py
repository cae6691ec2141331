"""A serial (USB-CDC) barcode scanner on a pseudo-terminal, for tests and the demo.

Open ``ScannerSimulator(tmp_path / "ttyScanner")`` (a context manager), point a
:class:`hardware.scanners.SerialScanner` at its :attr:`ScannerSimulator.path`, then
``scan("8410000000000")`` (CR-terminated, as scanners ship), ``scan(code, terminator=b"\\n")``,
``send(b"half a co")`` for raw bytes, ``unplug()`` and ``replug()`` (same path, fresh pty).
"""

from __future__ import annotations

import os

from hardware.simulators.pty_device import PtySimulator

__all__ = ["ScannerSimulator"]


class ScannerSimulator(PtySimulator):
    """Sends scans to whoever opened :attr:`path`. Plugged in on creation."""

    def __init__(self, link_path: str | os.PathLike[str]) -> None:
        super().__init__(link_path)  # a scanner reads nothing: no reader thread

    def scan(self, code: str | bytes, terminator: bytes = b"\r") -> None:
        """Send one scan: ``code`` (text is sent as UTF-8) followed by ``terminator``.

        Raises ``RuntimeError`` while unplugged. Bytes sent before the application opened
        the port are discarded by pyserial's ``open()``, as on a real port.
        """
        data = code.encode("utf-8") if isinstance(code, str) else code
        self._device.write(data + terminator)

    def send(self, data: bytes) -> None:
        """Send raw bytes (half a code, noise)."""
        self._device.write(data)

    def wait_until_read(self, timeout: float = 2.0) -> None:
        """Wait until the application has read everything sent (``TimeoutError`` if not)."""
        self._device.wait_until_read(timeout)
