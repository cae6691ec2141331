"""Barcode scanners read by the hardware layer (the keyboard-wedge scanner lives in the UI,
as a Qt event filter: it needs the GUI's key events)."""

from hardware.scanners.serial_scanner import SerialScanner

__all__ = ["SerialScanner"]
