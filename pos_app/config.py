"""Settings of a register: one TOML file, in the platform config directory or given by --config.

Secrets are never here (the register's token lives in the keyring, see the sync issue). A missing
file means defaults; a malformed one is an error that names the file and the key.

Device settings (``[printer]``, ``[drawer]``, ``[scanner]``, ``[display]``, ``[scale]``) are
written by IT by hand or by the hardware settings screen (:func:`save_device_settings`), which
rewrites only those tables and keeps the rest of the file, comments included.
"""

from __future__ import annotations

import os
import sys
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "mostrador"

PRINTER_KINDS = ("preview", "network", "usb", "serial", "windows", "file", "none")
SCANNER_KINDS = ("wedge", "serial", "none")
DISPLAY_KINDS = ("none", "serial")
DISPLAY_PROTOCOLS = ("epson", "cd5220")
SCALE_KINDS = ("none", "serial")
TERMINATORS = {"CR": b"\r", "LF": b"\n", "CRLF": b"\r\n", "TAB": b"\t"}
BAUD_RATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)
PAPER_WIDTHS = {80: 48, 58: 32}  # paper in mm -> characters per line (font A)


class ConfigError(Exception):
    """The settings file cannot be read or has a bad value."""


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "mostrador.toml"


SYSTEM_CONFIG_ENV = "MOSTRADOR_SYSTEM_CONFIG"  # another machine-wide file (tests, unusual installs)


def machine_config_file() -> Path:
    """The machine-wide settings file that IT provisions (``mostrador provision --system``):
    /etc/mostrador/mostrador.toml on Linux, %PROGRAMDATA%\\Mostrador\\mostrador.toml on
    Windows, /Library/Application Support/Mostrador/mostrador.toml on macOS."""
    override = os.environ.get(SYSTEM_CONFIG_ENV)
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("PROGRAMDATA") or r"C:\ProgramData"
        return Path(base) / "Mostrador" / "mostrador.toml"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/Mostrador/mostrador.toml")
    return Path("/etc/mostrador/mostrador.toml")


def settings_files(config: Path | None = None) -> list[Path]:
    """The settings files read, in order, later ones overriding: the one given (--config)
    alone, or the machine-wide file and then the user's."""
    if config is not None:
        return [config]
    return [machine_config_file(), default_config_file()]


@dataclass(frozen=True)
class PrinterSettings:
    kind: str = "preview"  # one of PRINTER_KINDS; "preview": on screen only
    path: str = ""  # file: a device such as /dev/usb/lp0, or a plain file
    host: str = ""  # network
    port: int = 9100  # network
    device: str = ""  # serial: /dev/ttyUSB0, COM3
    baudrate: int = 9600  # serial
    vendor_id: int = 0  # usb, e.g. 0x04B8 (written "04b8" in the file)
    product_id: int = 0  # usb
    name: str = ""  # windows: the installed printer's name
    width: int = 48  # characters per line: 48 for 80 mm paper, 32 for 58 mm
    timeout: float = 5.0  # seconds, for connecting, writing and reading
    logo: str = ""  # an image printed at the top of each receipt
    qr: str = ""  # optional QR text; "{number}" becomes the receipt number


@dataclass(frozen=True)
class DrawerSettings:
    kind: str = "printer"  # "printer": kicked through the receipt printer; "none"
    pin: int = 2  # the printer's drawer connector pin, 2 or 5
    open_on_cash: bool = True  # kicked when a sale takes cash
    allow_manual_open: bool = True  # the "open drawer" action (always asks for a reason)


@dataclass(frozen=True)
class ScannerSettings:
    kind: str = "wedge"  # one of SCANNER_KINDS
    # keyboard wedge
    prefix: str = ""  # a character the scanner sends first (set on the scanner)
    suffix: str = ""  # a character it sends last, before Enter
    max_interkey_ms: int = 35  # keys closer than this are a scanner's burst
    min_length: int = 6  # a burst shorter than this is typing
    keymap: tuple[tuple[str, str], ...] = ()  # from the calibration scan: received -> meant
    # serial (USB-CDC)
    port: str = ""
    baudrate: int = 9600
    terminator: str = "CR"  # one of TERMINATORS

    def __post_init__(self) -> None:
        object.__setattr__(self, "keymap", tuple(sorted(dict(self.keymap).items())))


@dataclass(frozen=True)
class DisplaySettings:
    kind: str = "none"  # one of DISPLAY_KINDS
    port: str = ""
    baudrate: int = 9600
    protocol: str = "epson"  # one of DISPLAY_PROTOCOLS
    columns: int = 20
    greeting: str = "Bienvenido"  # shown when no sale is in progress


@dataclass(frozen=True)
class ScaleSettings:
    kind: str = "none"  # one of SCALE_KINDS; "serial": Mettler Toledo 8217 protocol
    port: str = ""
    baudrate: int = 9600


@dataclass(frozen=True)
class DeviceSettings:
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    drawer: DrawerSettings = field(default_factory=DrawerSettings)
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    scale: ScaleSettings = field(default_factory=ScaleSettings)


@dataclass(frozen=True)
class Settings:
    locale: str = ""  # "es_ES", "en_GB"; empty: the system's, Spanish when not supported
    timezone: str = "Europe/Madrid"
    cashier: str = "Cajero"
    merge_same_product: bool = True
    barcode_layout: tuple[dict[str, Any], ...] = ()
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    cash_quick_amounts: tuple[int, ...] = (500, 1000, 2000, 5000)  # cents
    # A ticket (simplified invoice) only up to this; above, a full invoice (3.000 € retail,
    # 400 € otherwise). A business pays less than business_cash_max in cash (Ley 11/2021).
    simplified_invoice_max_cents: int = 300_000
    business_cash_max_cents: int = 100_000
    drawer: DrawerSettings = field(default_factory=DrawerSettings)
    scanner: ScannerSettings = field(default_factory=ScannerSettings)
    display: DisplaySettings = field(default_factory=DisplaySettings)
    scale: ScaleSettings = field(default_factory=ScaleSettings)
    # Written by ``mostrador provision`` (never a secret: the token is in the keyring).
    backend_url: str = ""
    store_code: str = ""
    register_name: str = ""
    register_code: str = ""
    data_dir: str = ""  # empty: the platform data directory

    @property
    def devices(self) -> DeviceSettings:
        return DeviceSettings(self.printer, self.drawer, self.scanner, self.display, self.scale)

    def with_devices(self, devices: DeviceSettings) -> Settings:
        return replace(
            self,
            printer=devices.printer,
            drawer=devices.drawer,
            scanner=devices.scanner,
            display=devices.display,
            scale=devices.scale,
        )


class _Table:
    """Typed reads from one TOML table, each error naming the file and the key."""

    def __init__(self, data: Mapping[str, Any], name: str, path: Path) -> None:
        raw = data.get(name, {})
        if not isinstance(raw, dict):
            raise ConfigError(f"{path}: '{name}' must be a table ([{name}])")
        self.raw: dict[str, Any] = raw
        self.name = name
        self.path = path

    def _fail(self, key: str, problem: str) -> ConfigError:
        return ConfigError(f"{self.path}: {self.name}.{key} {problem}")

    def text(self, key: str, default: str) -> str:
        value = self.raw.get(key, default)
        if not isinstance(value, str):
            raise self._fail(key, "must be text (in quotes)")
        return value

    def choice(self, key: str, default: str, choices: tuple[str, ...] | Mapping[str, Any]) -> str:
        value = self.text(key, default)
        if value not in choices:
            raise self._fail(key, f"must be one of {', '.join(choices)}, not {value!r}")
        return value

    def integer(self, key: str, default: int, low: int, high: int) -> int:
        value = self.raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._fail(key, "must be a whole number")
        if not low <= value <= high:
            raise self._fail(key, f"must be between {low} and {high}, not {value}")
        return value

    def number(self, key: str, default: float, low: float, high: float) -> float:
        value = self.raw.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._fail(key, "must be a number")
        if not low <= value <= high:
            raise self._fail(key, f"must be between {low} and {high}, not {value}")
        return float(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self.raw.get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "must be true or false")
        return value

    def hex_id(self, key: str) -> int:
        """A USB vendor or product id: "04b8" (hex text, as lsusb shows it) or a number."""
        value = self.raw.get(key, 0)
        if isinstance(value, str):
            try:
                value = int(value.lower().removeprefix("0x"), 16)
            except ValueError:
                raise self._fail(
                    key, f"must be a hexadecimal id such as 04b8, not {value!r}"
                ) from None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 0xFFFF:
            raise self._fail(key, "must be a USB id between 0000 and ffff")
        return value

    def keymap(self, key: str) -> tuple[tuple[str, str], ...]:
        value = self.raw.get(key, {})
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and len(k) == 1 and len(v) == 1
            for k, v in value.items()
        ):
            raise self._fail(key, 'must map single characters, e.g. { "\'" = "-" }')
        return tuple(sorted(value.items()))


def _printer(data: Mapping[str, Any], path: Path) -> PrinterSettings:
    t = _Table(data, "printer", path)
    kind = t.choice("kind", "preview", PRINTER_KINDS)
    paper = t.raw.get("paper_mm")
    if paper is not None:
        if paper not in PAPER_WIDTHS:
            raise t._fail("paper_mm", "must be 80 or 58")
        default_width = PAPER_WIDTHS[paper]
    else:
        default_width = 48
    width = t.integer("width", default_width, 24, 64)
    if width not in (32, 42, 48):
        raise t._fail("width", "must be 32, 42 or 48")
    settings = PrinterSettings(
        kind=kind,
        path=t.text("path", ""),
        host=t.text("host", ""),
        port=t.integer("port", 9100, 1, 65535),
        device=t.text("device", ""),
        baudrate=t.integer("baudrate", 9600, 1200, 115200),
        vendor_id=t.hex_id("vendor_id"),
        product_id=t.hex_id("product_id"),
        name=t.text("name", ""),
        width=width,
        timeout=t.number("timeout", 5.0, 0.5, 60.0),
        logo=t.text("logo", ""),
        qr=t.text("qr", ""),
    )
    needed = {"network": "host", "serial": "device", "windows": "name", "file": "path"}
    if kind in needed and not getattr(settings, needed[kind]):
        raise t._fail(needed[kind], f"is needed for a printer of kind {kind!r}")
    if kind == "usb" and not (settings.vendor_id and settings.product_id):
        raise t._fail("vendor_id", "and printer.product_id are needed for a USB printer")
    return settings


def _drawer(data: Mapping[str, Any], path: Path) -> DrawerSettings:
    t = _Table(data, "drawer", path)
    pin = t.integer("pin", 2, 2, 5)
    if pin not in (2, 5):
        raise t._fail("pin", "must be 2 or 5")
    return DrawerSettings(
        kind=t.choice("kind", "printer", ("printer", "none")),
        pin=pin,
        open_on_cash=t.flag("open_on_cash", True),
        allow_manual_open=t.flag("allow_manual_open", True),
    )


def _scanner(data: Mapping[str, Any], path: Path) -> ScannerSettings:
    t = _Table(data, "scanner", path)
    settings = ScannerSettings(
        kind=t.choice("kind", "wedge", SCANNER_KINDS),
        prefix=t.text("prefix", ""),
        suffix=t.text("suffix", ""),
        max_interkey_ms=t.integer("max_interkey_ms", 35, 5, 200),
        min_length=t.integer("min_length", 6, 1, 64),
        keymap=t.keymap("keymap"),
        port=t.text("port", ""),
        baudrate=t.integer("baudrate", 9600, 1200, 115200),
        terminator=t.choice("terminator", "CR", TERMINATORS),
    )
    if len(settings.prefix) > 1 or len(settings.suffix) > 1:
        raise t._fail("prefix", "and scanner.suffix must be one character each (or empty)")
    if settings.kind == "serial" and not settings.port:
        raise t._fail("port", "is needed for a serial scanner")
    return settings


def _display(data: Mapping[str, Any], path: Path) -> DisplaySettings:
    t = _Table(data, "display", path)
    settings = DisplaySettings(
        kind=t.choice("kind", "none", DISPLAY_KINDS),
        port=t.text("port", ""),
        baudrate=t.integer("baudrate", 9600, 1200, 115200),
        protocol=t.choice("protocol", "epson", DISPLAY_PROTOCOLS),
        columns=t.integer("columns", 20, 16, 40),
        greeting=t.text("greeting", "Bienvenido"),
    )
    if settings.kind == "serial" and not settings.port:
        raise t._fail("port", "is needed for a serial customer display")
    return settings


def _scale(data: Mapping[str, Any], path: Path) -> ScaleSettings:
    t = _Table(data, "scale", path)
    settings = ScaleSettings(
        kind=t.choice("kind", "none", SCALE_KINDS),
        port=t.text("port", ""),
        baudrate=t.integer("baudrate", 9600, 1200, 115200),
    )
    if settings.kind == "serial" and not settings.port:
        raise t._fail("port", "is needed for a serial scale")
    return settings


def _expect(value: Any, kind: type | tuple[type, ...], name: str, path: Path) -> Any:
    if not isinstance(value, kind):
        raise ConfigError(f"{path}: '{name}' has the wrong type ({type(value).__name__})")
    return value


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"cannot read settings {path}: {exc}") from exc


def load_settings(path: Path | None) -> Settings:
    if path is None or not path.exists():
        return Settings()
    return _settings_from(_read_toml(path), path)


def load_layered_settings(paths: list[Path]) -> Settings:
    """Settings from several files (see :func:`settings_files`): each is checked alone (an
    error names its file), then their tables are merged key by key, later files winning."""
    merged: dict[str, Any] = {}
    last: Path | None = None
    for path in paths:
        if not path.exists():
            continue
        data = _read_toml(path)
        _settings_from(data, path)
        for key, value in data.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
        last = path
    if last is None:
        return Settings()
    return _settings_from(merged, last)


def _settings_from(data: Mapping[str, Any], path: Path) -> Settings:
    register = _expect(data.get("register", {}), dict, "register", path)
    layout = _expect(data.get("barcode_layout", []), list, "barcode_layout", path)
    quick = _expect(
        register.get("cash_quick_amounts", [5, 10, 20, 50]), list, "cash_quick_amounts", path
    )
    return Settings(
        locale=str(register.get("locale", "")),
        timezone=str(register.get("timezone", "Europe/Madrid")),
        cashier=str(register.get("cashier", "Cajero")),
        merge_same_product=bool(register.get("merge_same_product", True)),
        barcode_layout=tuple(_expect(r, dict, "barcode_layout[]", path) for r in layout),
        printer=_printer(data, path),
        cash_quick_amounts=tuple(
            int(_expect(v, int, "cash_quick_amounts[]", path)) * 100 for v in quick
        ),
        simplified_invoice_max_cents=int(
            _expect(
                register.get("simplified_invoice_max", 3000), int, "simplified_invoice_max", path
            )
        )
        * 100,
        business_cash_max_cents=int(
            _expect(register.get("business_cash_max", 1000), int, "business_cash_max", path)
        )
        * 100,
        drawer=_drawer(data, path),
        scanner=_scanner(data, path),
        display=_display(data, path),
        scale=_scale(data, path),
        **_provisioned(register, path),
    )


PROVISIONED_KEYS = {
    "backend_url": "backend_url",
    "store": "store_code",
    "register_name": "register_name",
    "register_code": "register_code",
    "data_dir": "data_dir",
}


def _provisioned(register: Mapping[str, Any], path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    for key, attribute in PROVISIONED_KEYS.items():
        value = register.get(key, "")
        if not isinstance(value, str):
            raise ConfigError(f"{path}: register.{key} must be text (in quotes)")
        values[attribute] = value
    return values


def save_register_settings(path: Path, values: Mapping[str, str]) -> None:
    """Write keys of the ``[register]`` table (see ``PROVISIONED_KEYS``) into the settings
    file, keeping everything else in it, comments included; atomically, as
    :func:`save_device_settings`. Raises ConfigError when it cannot be written."""
    import tomlkit

    unknown = set(values) - set(PROVISIONED_KEYS)
    if unknown:
        raise ValueError(f"not provisioned settings: {sorted(unknown)}")
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        document = tomlkit.parse(text)
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.ParseError) as exc:
        raise ConfigError(f"cannot read settings {path}: {exc}") from exc
    register = document.get("register")
    if register is None:
        register = tomlkit.table()
        document["register"] = register
    for key, value in values.items():
        register[key] = value
    expected = {PROVISIONED_KEYS[key]: value for key, value in values.items()}
    _replace_file(
        path,
        tomlkit.dumps(document),
        lambda written: all(getattr(load_settings(written), k) == v for k, v in expected.items()),
    )


def _replace_file(path: Path, new_text: str, reads_back: Any) -> None:
    check_path: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".new")
        check_path = Path(name)
        with open(fd, "w", encoding="utf-8") as out:
            out.write(new_text)
            out.flush()
            os.fsync(out.fileno())
        if path.exists():
            os.chmod(check_path, path.stat().st_mode & 0o777)
        else:
            os.chmod(check_path, 0o644)  # settings, no secret: readable by the register's user
        # What is written must read back as what was meant.
        if not reads_back(check_path):
            raise ConfigError(f"{path}: the settings did not read back as written")
        check_path.replace(path)
        check_path = None
    except OSError as exc:
        raise ConfigError(f"cannot write settings {path}: {exc}") from exc
    finally:
        if check_path is not None:
            check_path.unlink(missing_ok=True)


def _device_tables(devices: DeviceSettings) -> dict[str, dict[str, Any]]:
    """The device settings as TOML tables: defaults left out, so the file stays short."""
    tables: dict[str, dict[str, Any]] = {}
    defaults = DeviceSettings()
    for name in ("printer", "drawer", "scanner", "display", "scale"):
        values = asdict(getattr(devices, name))
        default = asdict(getattr(defaults, name))
        table: dict[str, Any] = {}
        for key, value in values.items():
            if value == default[key] and key != "kind":
                continue
            if key in ("vendor_id", "product_id"):
                value = f"{value:04x}"
            elif key == "keymap":
                value = dict(value)
            table[key] = value
        tables[name] = table
    return tables


def save_device_settings(path: Path, devices: DeviceSettings) -> None:
    """Write the device tables into the settings file, keeping everything else in it.

    The file is replaced atomically (written beside it, then renamed), so a crash or a full
    disk never leaves half a settings file. Raises ConfigError when it cannot be written.
    """
    import tomlkit

    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
        document = tomlkit.parse(text)
    except (OSError, UnicodeDecodeError, tomlkit.exceptions.ParseError) as exc:
        raise ConfigError(f"cannot read settings {path}: {exc}") from exc
    for name, values in _device_tables(devices).items():
        table = tomlkit.table()
        for key, value in values.items():
            table[key] = value
        document[name] = table
    _replace_file(
        path,
        tomlkit.dumps(document),
        lambda written: load_settings(written).devices == devices,
    )
