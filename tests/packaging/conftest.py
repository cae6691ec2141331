"""The built bundle and .deb the packaging tests check.

CI builds once (``python packaging/build.py``) and points the tests at the result with
``MOSTRADOR_BUNDLE_DIR`` (the ``dist/mostrador`` folder; the .deb is looked for beside it, or
named by ``MOSTRADOR_DEB``). Without the variable the tests build the bundle themselves when
PyInstaller is installed (``pip install -e '.[build]'``), which takes minutes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def bundle_dir() -> Path:
    given = os.environ.get("MOSTRADOR_BUNDLE_DIR")
    if given:
        path = Path(given)
        if not (path / "mostrador").is_file() and not (path / "mostrador.exe").is_file():
            pytest.fail(f"MOSTRADOR_BUNDLE_DIR={given} holds no mostrador program")
        return path
    pytest.importorskip("PyInstaller", reason="the build extra is not installed")
    subprocess.run([sys.executable, str(ROOT / "packaging" / "build.py")], check=True, cwd=ROOT)
    return ROOT / "dist" / "mostrador"


@pytest.fixture(scope="session")
def deb_file(bundle_dir: Path) -> Path:
    if not sys.platform.startswith("linux") or shutil.which("dpkg-deb") is None:
        pytest.skip("a .deb is made and read on Debian-like Linux only")
    given = os.environ.get("MOSTRADOR_DEB")
    if given:
        return Path(given)
    namespace: dict[str, str] = {}
    exec((ROOT / "pos_app" / "__init__.py").read_text(encoding="utf-8"), namespace)
    found = sorted(bundle_dir.parent.glob(f"mostrador_{namespace['__version__']}_*.deb"))
    if not found:
        pytest.fail(f"no mostrador_{namespace['__version__']}_*.deb beside {bundle_dir}")
    return found[-1]
