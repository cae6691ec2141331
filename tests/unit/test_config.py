"""The settings file: device tables read with clear errors, and written back without losing
what IT wrote by hand."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from pos_app.config import (
    ConfigError,
    DeviceSettings,
    DisplaySettings,
    DrawerSettings,
    PrinterSettings,
    ScaleSettings,
    ScannerSettings,
    Settings,
    load_settings,
    save_device_settings,
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mostrador.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_file_means_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "absent.toml")
    assert settings == Settings()
    assert settings.printer.kind == "preview"
    assert settings.scanner.kind == "wedge"
    assert settings.drawer.pin == 2 and settings.drawer.open_on_cash


def test_every_device_table_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[printer]
kind = "usb"
vendor_id = "04b8"
product_id = "0x0202"
paper_mm = 58
timeout = 3
logo = "/srv/logo.png"
qr = "https://tienda.example/t/{number}"

[drawer]
pin = 5
open_on_cash = false

[scanner]
kind = "serial"
port = "/dev/ttyACM0"
baudrate = 115200
terminator = "CRLF"

[display]
kind = "serial"
port = "COM5"
protocol = "cd5220"
greeting = "Hola"

[scale]
kind = "serial"
port = "/dev/ttyUSB2"
""",
    )
    s = load_settings(path)
    assert s.printer == PrinterSettings(
        kind="usb",
        vendor_id=0x04B8,
        product_id=0x0202,
        width=32,
        timeout=3.0,
        logo="/srv/logo.png",
        qr="https://tienda.example/t/{number}",
    )
    assert s.drawer == DrawerSettings(pin=5, open_on_cash=False)
    assert s.scanner == ScannerSettings(
        kind="serial", port="/dev/ttyACM0", baudrate=115200, terminator="CRLF"
    )
    assert s.display == DisplaySettings(
        kind="serial", port="COM5", protocol="cd5220", greeting="Hola"
    )
    assert s.scale == ScaleSettings(kind="serial", port="/dev/ttyUSB2")


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ('[printer]\nkind = "laser"', "printer.kind"),
        ('[printer]\nkind = "network"', "printer.host"),
        ('[printer]\nkind = "serial"', "printer.device"),
        ('[printer]\nkind = "usb"\nvendor_id = "04b8"', "printer.vendor_id"),
        ('[printer]\nkind = "usb"\nvendor_id = "zz"\nproduct_id = "1"', "printer.vendor_id"),
        ('[printer]\nkind = "network"\nhost = "p"\nport = 70000', "printer.port"),
        ('[printer]\ntimeout = "5"', "printer.timeout"),
        ("[printer]\npaper_mm = 70", "printer.paper_mm"),
        ("[drawer]\npin = 3", "drawer.pin"),
        ('[drawer]\nopen_on_cash = "yes"', "drawer.open_on_cash"),
        ('[scanner]\nkind = "serial"', "scanner.port"),
        ('[scanner]\nterminator = "ETX"', "scanner.terminator"),
        ('[scanner]\nprefix = "ab"', "scanner.prefix"),
        ('[scanner.keymap]\n"ab" = "-"', "scanner.keymap"),
        ("[scanner]\nmax_interkey_ms = 0", "scanner.max_interkey_ms"),
        ('[display]\nkind = "serial"\nport = "x"\nprotocol = "vfd"', "display.protocol"),
        ('[scale]\nkind = "serial"', "scale.port"),
        ('printer = "x"', "'printer' must be a table"),
    ],
)
def test_a_bad_value_names_the_file_and_the_key(tmp_path: Path, text: str, names: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    assert str(path) in str(caught.value)
    assert names in str(caught.value)


def test_saving_devices_keeps_the_rest_of_the_file_and_its_comments(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '# Caja 1 de la tienda de Sol (IT)\n[register]\ncashier = "Ana"  # turno de mañana\n\n'
        '[printer]\nkind = "preview"\n',
    )
    devices = DeviceSettings(
        printer=PrinterSettings(kind="network", host="10.0.0.9", port=9101, width=32),
        drawer=DrawerSettings(pin=5, allow_manual_open=False),
        scanner=ScannerSettings(keymap=(("'", "-"), ("&", "/"))),
        display=DisplaySettings(kind="serial", port="/dev/ttyS1", greeting="¡Hola!"),
        scale=ScaleSettings(kind="serial", port="/dev/ttyUSB2", baudrate=4800),
    )
    save_device_settings(path, devices)
    text = path.read_text(encoding="utf-8")
    assert "# Caja 1 de la tienda de Sol (IT)" in text
    assert "# turno de mañana" in text
    loaded = load_settings(path)
    assert loaded.cashier == "Ana"
    assert loaded.devices == devices
    assert [p.name for p in tmp_path.iterdir()] == ["mostrador.toml"]


def test_saving_into_a_new_file_and_again_changes_only_the_devices(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "mostrador.toml"
    save_device_settings(path, DeviceSettings())
    assert load_settings(path).devices == DeviceSettings()
    usb = DeviceSettings(printer=PrinterSettings(kind="usb", vendor_id=0x0416, product_id=0x5011))
    save_device_settings(path, usb)
    assert load_settings(path).devices == usb
    assert 'vendor_id = "0416"' in path.read_text(encoding="utf-8")


def test_a_full_disk_is_a_clear_error_and_the_old_file_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, '[printer]\nkind = "none"\n')

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(ConfigError, match="cannot write settings.*No space left"):
        save_device_settings(path, DeviceSettings())
    assert load_settings(path).printer.kind == "none"
    assert [p.name for p in tmp_path.iterdir()] == ["mostrador.toml"]


def test_a_broken_file_is_not_overwritten(tmp_path: Path) -> None:
    path = write(tmp_path, "[printer\nkind = ")
    with pytest.raises(ConfigError, match="cannot read settings"):
        save_device_settings(path, DeviceSettings())
    assert path.read_text(encoding="utf-8") == "[printer\nkind = "
