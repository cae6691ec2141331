"""The live state of a device, as every adapter reports it (settings screen, status bar)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["DeviceState", "DeviceStatus"]


class DeviceState(StrEnum):
    DISABLED = "disabled"  # not configured
    CONNECTING = "connecting"  # opening, or waiting for the device to come back
    READY = "ready"
    OFFLINE = "offline"  # configured but unreachable (unplugged, switched off, refused)
    NO_PAPER = "no_paper"  # printers only
    ERROR = "error"  # answered, but wrongly


@dataclass(frozen=True, slots=True)
class DeviceStatus:
    state: DeviceState
    detail: str = ""  # English, for the log and a tooltip: "/dev/ttyACM0: no such file"

    @property
    def ready(self) -> bool:
        return self.state is DeviceState.READY
