"""Settings of a register: one TOML file, in the platform config directory or given by --config.

Secrets are never here (the register's token lives in the keyring, see the sync issue). A missing
file means defaults; a malformed one is an error that names the file and the problem.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "mostrador"


class ConfigError(Exception):
    """The settings file cannot be read or has a bad value."""


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "mostrador.toml"


@dataclass(frozen=True)
class PrinterSettings:
    kind: str = "preview"  # "preview" (on screen only), "file", "none"
    path: str = ""  # for "file": a device such as /dev/usb/lp0, or a plain file
    width: int = 48  # characters per line: 48 for 80 mm paper, 32 for 58 mm


@dataclass(frozen=True)
class Settings:
    locale: str = ""  # "es_ES", "en_GB"; empty: the system's, Spanish when not supported
    timezone: str = "Europe/Madrid"
    cashier: str = "Cajero"
    merge_same_product: bool = True
    barcode_layout: tuple[dict[str, Any], ...] = ()
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    cash_quick_amounts: tuple[int, ...] = (500, 1000, 2000, 5000)  # cents


def _expect(value: Any, kind: type | tuple[type, ...], name: str, path: Path) -> Any:
    if not isinstance(value, kind):
        raise ConfigError(f"{path}: '{name}' has the wrong type ({type(value).__name__})")
    return value


def load_settings(path: Path | None) -> Settings:
    if path is None or not path.exists():
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read settings {path}: {exc}") from exc
    register = _expect(data.get("register", {}), dict, "register", path)
    printer = _expect(data.get("printer", {}), dict, "printer", path)
    layout = _expect(data.get("barcode_layout", []), list, "barcode_layout", path)
    quick = _expect(
        register.get("cash_quick_amounts", [5, 10, 20, 50]), list, "cash_quick_amounts", path
    )
    kind = str(printer.get("kind", "preview"))
    if kind not in ("preview", "file", "none"):
        raise ConfigError(f"{path}: printer.kind must be preview, file or none, not {kind!r}")
    width = _expect(printer.get("width", 48), int, "printer.width", path)
    if width not in (32, 42, 48):
        raise ConfigError(f"{path}: printer.width must be 32, 42 or 48")
    return Settings(
        locale=str(register.get("locale", "")),
        timezone=str(register.get("timezone", "Europe/Madrid")),
        cashier=str(register.get("cashier", "Cajero")),
        merge_same_product=bool(register.get("merge_same_product", True)),
        barcode_layout=tuple(_expect(r, dict, "barcode_layout[]", path) for r in layout),
        printer=PrinterSettings(kind=kind, path=str(printer.get("path", "")), width=width),
        cash_quick_amounts=tuple(
            int(_expect(v, int, "cash_quick_amounts[]", path)) * 100 for v in quick
        ),
    )
