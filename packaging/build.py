"""Build the register app for IT: ``python packaging/build.py``.

Makes ``dist/mostrador/`` (a PyInstaller one-folder bundle, Linux or Windows) and, on Linux,
``dist/mostrador_<version>_<arch>.deb``. Needs the build extra: ``pip install -e '.[build]'``.

    python packaging/build.py             # bundle, then the .deb on Linux
    python packaging/build.py --no-deb    # the bundle only
    python packaging/build.py --deb-only  # the .deb from an existing dist/mostrador/

The Windows installer is made from the bundle by Inno Setup: see packaging/README.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
DIST = ROOT / "dist"
BUILD = ROOT / "build"
BUNDLE = DIST / "mostrador"
ICONS = BUILD / "icons"
INSTALL_DIR = "/opt/mostrador"

# Qt's xcb platform plugin and the libraries it needs that the bundle leaves to the system
# (PyInstaller does not bundle the graphics stack). Alternatives cover Debian 12 and 13.
DEB_DEPENDS = (
    "libc6",
    "libegl1",
    "libgl1",
    "libfontconfig1",
    "libfreetype6",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libx11-6",
    "libx11-xcb1",
    "libxcb1",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-randr0",
    "libxcb-render0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-shm0",
    "libxcb-sync1",
    "libxcb-util1",
    "libxcb-xfixes0",
    "libxcb-xkb1",
    "libglib2.0-0t64 | libglib2.0-0",
    "libdbus-1-3",
)


def _say(text: str) -> None:
    sys.stdout.write(f"build: {text}\n")
    sys.stdout.flush()


def version() -> str:
    namespace: dict[str, str] = {}
    exec((ROOT / "pos_app" / "__init__.py").read_text(encoding="utf-8"), namespace)
    return namespace["__version__"]


def render_icons() -> None:
    """The PNG (Linux menus, hicolor 256x256) and the ICO (Windows) from the SVG."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    ICONS.mkdir(parents=True, exist_ok=True)
    renderer = QSvgRenderer(str(PACKAGING / "icons" / "mostrador.svg"))
    if not renderer.isValid():
        raise SystemExit("build: packaging/icons/mostrador.svg is not a valid SVG")
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    for name in ("mostrador.png", "mostrador.ico"):
        if not image.save(str(ICONS / name)):
            raise SystemExit(f"build: cannot write {ICONS / name}")
    del app


def build_bundle() -> float:
    started = time.perf_counter()
    render_icons()
    shutil.rmtree(BUNDLE, ignore_errors=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(DIST),
            "--workpath",
            str(BUILD / "pyinstaller"),
            str(PACKAGING / "mostrador.spec"),
        ],
        check=True,
        cwd=ROOT,
    )
    return time.perf_counter() - started


def deb_architecture() -> str:
    result = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def _tree_kib(path: Path) -> int:
    files = (f for f in path.rglob("*") if f.is_file() and not f.is_symlink())
    return sum(f.stat().st_size for f in files) // 1024


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


DESKTOP_ENTRY = """\
[Desktop Entry]
Type=Application
Name=Mostrador
Name[es]=Mostrador
GenericName=Point of sale
GenericName[es]=Terminal punto de venta
Comment=Sell at the counter, online or offline
Comment[es]=Venda en el mostrador, con o sin conexión
Exec=/usr/bin/mostrador run
Icon=mostrador
Terminal=false
Categories=Office;Finance;
Keywords=POS;TPV;register;caja;ventas;
StartupWMClass=mostrador
"""

WRAPPER = f"""\
#!/bin/sh
# Mostrador, installed by the mostrador package in {INSTALL_DIR}.
exec {INSTALL_DIR}/mostrador "$@"
"""

# Maintainer scripts only refresh the menus and icon caches. They never touch user data: the
# register's database, settings and logs stay in each user's home, and the machine-wide
# settings that `mostrador provision --system` writes stay in /etc/mostrador, even on `apt purge`.
POSTINST = """\
#!/bin/sh
set -e
if [ "$1" = "configure" ]; then
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && \\
        gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
fi
exit 0
"""

POSTRM = """\
#!/bin/sh
# Removes nothing but what dpkg removes itself: each user's data (~/.local/share/mostrador),
# settings (~/.config/mostrador), logs (~/.local/state/mostrador) and the machine-wide
# settings (/etc/mostrador, written by `mostrador provision`, not by the package) are kept,
# on remove and on purge alike.
set -e
case "$1" in
    remove|purge)
        command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q || true
        command -v gtk-update-icon-cache >/dev/null 2>&1 && \\
            gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
        ;;
esac
exit 0
"""


def build_deb(compression: str = "zstd") -> Path:
    if not (BUNDLE / "mostrador").is_file():
        raise SystemExit(f"build: no bundle in {BUNDLE}; run without --deb-only first")
    if not (ICONS / "mostrador.png").is_file():
        render_icons()
    ver = version()
    arch = deb_architecture()
    stage = BUILD / "deb" / f"mostrador_{ver}_{arch}"
    shutil.rmtree(stage, ignore_errors=True)
    shutil.copytree(BUNDLE, stage / INSTALL_DIR.lstrip("/"), symlinks=True)
    _write(stage / "usr/bin/mostrador", WRAPPER, 0o755)
    _write(stage / "usr/share/applications/mostrador.desktop", DESKTOP_ENTRY)
    icons = stage / "usr/share/icons/hicolor"
    (icons / "scalable/apps").mkdir(parents=True)
    shutil.copy2(PACKAGING / "icons" / "mostrador.svg", icons / "scalable/apps/mostrador.svg")
    (icons / "256x256/apps").mkdir(parents=True)
    shutil.copy2(ICONS / "mostrador.png", icons / "256x256/apps/mostrador.png")
    _write(
        stage / "usr/share/doc/mostrador/copyright",
        "Mostrador: point of sale.\nLicense: GPL-3.0-or-later\n"
        "See /usr/share/common-licenses/GPL-3.\n",
    )
    control = textwrap.dedent(
        f"""\
        Package: mostrador
        Version: {ver}
        Architecture: {arch}
        Maintainer: Mostrador <it@mostrador.invalid>
        Section: misc
        Priority: optional
        Installed-Size: {_tree_kib(stage)}
        Depends: {", ".join(DEB_DEPENDS)}
        Description: Mostrador point of sale (register)
         Offline-first point of sale for shops: the register application with its
         own Python and Qt, installed in {INSTALL_DIR}. Run `mostrador self-test` to
         check an installation and `mostrador provision` to connect it to the store.
        """
    )
    _write(stage / "DEBIAN/control", control)
    _write(stage / "DEBIAN/postinst", POSTINST, 0o755)
    _write(stage / "DEBIAN/postrm", POSTRM, 0o755)
    for directory in [stage, *(p for p in stage.rglob("*") if p.is_dir())]:
        directory.chmod(0o755)
    out = DIST / f"mostrador_{ver}_{arch}.deb"
    out.unlink(missing_ok=True)
    subprocess.run(
        ["dpkg-deb", "--build", "--root-owner-group", f"-Z{compression}", str(stage), str(out)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-deb", action="store_true", help="do not make the .deb")
    parser.add_argument("--deb-only", action="store_true", help="the .deb from dist/mostrador/")
    parser.add_argument(
        "--compression",
        choices=("zstd", "xz", "gzip"),
        default="zstd",
        help="of the .deb: zstd (default; Debian 12+, Ubuntu 21.10+), xz (older apt; slow)",
    )
    args = parser.parse_args(argv)
    if not args.deb_only:
        seconds = build_bundle()
        _say(f"{BUNDLE} in {seconds:.0f} s, {_tree_kib(BUNDLE) / 1024:.0f} MiB")
    want_deb = sys.platform.startswith("linux") and not args.no_deb
    if want_deb or args.deb_only:
        if shutil.which("dpkg-deb") is None:
            raise SystemExit("build: dpkg-deb not found (apt install dpkg)")
        deb = build_deb(args.compression)
        _say(f"{deb} ({deb.stat().st_size / 1024 / 1024:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
