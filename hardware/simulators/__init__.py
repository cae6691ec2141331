"""Device simulators for tests and demos: real sockets and pseudo-terminals, no mocks.

* :class:`~hardware.simulators.tcp_printer.TcpPrinterSimulator`: a network receipt printer
  (raw TCP, port 9100) that records bytes, answers status requests and decodes receipts.

* ``pty_device.PtyDevice`` and the serial devices built on it:
  ``scanner_simulator.ScannerSimulator``, ``display_simulator.DisplaySimulator`` and
  ``scale_simulator.ScaleSimulator`` (pseudo-terminals behind a stable path, unplugged and
  replugged on demand).

Names are imported on first use, so ``python -m hardware.simulators.tcp_printer`` runs the
module only once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from hardware.simulators.tcp_printer import TcpPrinterSimulator

__all__ = ["TcpPrinterSimulator"]


def __getattr__(name: str) -> object:
    if name == "TcpPrinterSimulator":
        from hardware.simulators.tcp_printer import TcpPrinterSimulator

        return TcpPrinterSimulator
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
