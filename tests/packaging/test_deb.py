"""The Debian package: the bundle in /opt/mostrador, a command on the PATH, a desktop entry
(Spanish and English) with its icon, and maintainer scripts that leave user data alone."""

from __future__ import annotations

import configparser
import io
import subprocess
import tarfile
from pathlib import Path

import pytest

from pos_app import __version__

pytestmark = pytest.mark.slow


def members(deb: Path) -> dict[str, tarfile.TarInfo]:
    data = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(data.stdout)) as archive:
        return {info.name.removeprefix("./"): info for info in archive.getmembers()}


def read_member(deb: Path, name: str) -> str:
    data = subprocess.run(["dpkg-deb", "--fsys-tarfile", str(deb)], capture_output=True, check=True)
    with tarfile.open(fileobj=io.BytesIO(data.stdout)) as archive:
        extracted = archive.extractfile(f"./{name}")
        assert extracted is not None, name
        return extracted.read().decode("utf-8")


def field(deb: Path, name: str) -> str:
    result = subprocess.run(
        ["dpkg-deb", "--field", str(deb), name], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_the_package_installs_the_bundle_under_opt_with_a_command_on_the_path(deb_file):
    files = members(deb_file)
    program = files["opt/mostrador/mostrador"]
    assert program.isfile() and program.mode & 0o111
    assert "opt/mostrador/_internal/resources/translations/mostrador_en.qm" in files
    assert any(
        name.startswith("opt/mostrador/_internal/pos_app/storage/migrations/versions/")
        for name in files
    )
    assert files["usr/bin/mostrador"].mode & 0o111
    assert "exec /opt/mostrador/mostrador" in read_member(deb_file, "usr/bin/mostrador")
    assert all(info.uname == "root" for info in files.values())
    assert not [name for name in files if name.startswith(("home/", "etc/", "var/"))]


def test_the_control_fields_name_the_version_and_the_qt_runtime(deb_file):
    assert field(deb_file, "Package") == "mostrador"
    assert field(deb_file, "Version") == __version__
    assert deb_file.name == f"mostrador_{__version__}_{field(deb_file, 'Architecture')}.deb"
    depends = field(deb_file, "Depends")
    for library in ("libxcb-cursor0", "libxkbcommon-x11-0", "libegl1", "libfontconfig1"):
        assert library in depends
    assert int(field(deb_file, "Installed-Size")) > 10_000  # KiB: the whole bundle


def test_the_desktop_entry_speaks_spanish_and_english_and_has_an_icon(deb_file):
    files = members(deb_file)
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read_string(read_member(deb_file, "usr/share/applications/mostrador.desktop"))
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Name"] and desktop["Name[es]"]
    assert desktop["Comment"] != desktop["Comment[es]"]
    assert desktop["Exec"].startswith("/usr/bin/mostrador")
    assert desktop["Icon"] == "mostrador"
    assert "usr/share/icons/hicolor/scalable/apps/mostrador.svg" in files
    assert files["usr/share/icons/hicolor/256x256/apps/mostrador.png"].size > 1000


def test_the_maintainer_scripts_never_touch_user_data(deb_file, tmp_path):
    subprocess.run(["dpkg-deb", "--control", str(deb_file), str(tmp_path)], check=True)
    for script in ("postinst", "postrm"):
        text = (tmp_path / script).read_text(encoding="utf-8")
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        for forbidden in ("rm ", "/home", "$HOME", ".local", ".config", "/etc/mostrador"):
            assert forbidden not in code, f"{script} mentions {forbidden!r}"
