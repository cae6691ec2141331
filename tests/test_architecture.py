"""The layering of DESIGN.md section 2, checked by import-linter's contracts in pyproject.toml."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    result = subprocess.run([exe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_importing_the_app_builds_nothing():
    """No engine, window or device is made at import time: importing every module is cheap and
    leaves no database behind."""
    code = (
        "import pos_app.cli, pos_app.bootstrap, pos_app.ui.main_window, pos_app.storage.db;"
        "import sqlalchemy.pool as p; print('ok')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.stdout.strip() == "ok", result.stderr
