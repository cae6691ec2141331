"""Importing python-escpos through ensure_escpos_ready leaves nothing behind.

Each test runs a fresh interpreter, because escpos can only be imported once per process.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, logging, os, sys
from hardware.printers import receipt_to_bytes
from hardware.receipt import ReceiptDocument, ReceiptLine
doc = ReceiptDocument(
    header=("Tienda",), title="TICKET", meta=(), lines=(ReceiptLine("Pan", "1", "1 €", "1 €"),),
    totals=(("TOTAL", "1 €"),), total_label="TOTAL", tax_columns=("T", "B", "C", "T"),
    tax_rows=(), tenders=(), change=None, barcode="R-1",
)
data = receipt_to_bytes(doc)
sys.stdout.write(json.dumps({
    "pickle_dir": os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR"),
    "root_handlers": len(logging.getLogger().handlers),
    "bytes": len(data),
}))
"""


def run_fresh(tmp_path: Path, expected_stderr: str = "", **env_changes: str) -> dict[str, Any]:
    temp_dir = tmp_path / "tmp"
    temp_dir.mkdir(exist_ok=True)
    env = dict(os.environ)
    env.pop("ESCPOS_CAPABILITIES_PICKLE_DIR", None)
    env.update(
        PYTHONPATH=str(REPO_ROOT),
        TMPDIR=str(temp_dir),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.update(env_changes)
    completed = subprocess.run(
        [sys.executable, "-W", "error", "-c", SCRIPT],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    # no Python warning, no escpos print(), no log record other than the expected one
    if expected_stderr:
        assert expected_stderr in completed.stderr
        assert len(completed.stderr.splitlines()) == 1, completed.stderr
    else:
        assert completed.stderr == ""
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


def test_import_uses_the_platform_cache_and_leaves_no_temp_dir(tmp_path: Path) -> None:
    result = run_fresh(tmp_path)

    cache_dir = tmp_path / "cache" / "mostrador" / "escpos"
    assert result["pickle_dir"] == str(cache_dir)
    assert result["bytes"] > 0
    assert list(cache_dir.iterdir()) == [
        cache_dir / f"{platform.python_version()}.capabilities.pickle"
    ]
    assert list((tmp_path / "tmp").iterdir()) == []


def test_import_installs_no_root_log_handler(tmp_path: Path) -> None:
    assert run_fresh(tmp_path)["root_handlers"] == 0


def test_configured_pickle_dir_is_created_when_missing(tmp_path: Path) -> None:
    configured = tmp_path / "custom" / "nested" / "escpos"

    result = run_fresh(tmp_path, ESCPOS_CAPABILITIES_PICKLE_DIR=str(configured))

    assert result["pickle_dir"] == str(configured)
    assert (configured / f"{platform.python_version()}.capabilities.pickle").is_file()


def test_corrupt_capabilities_cache_is_rebuilt(tmp_path: Path) -> None:
    cache_dir = tmp_path / "cache" / "mostrador" / "escpos"
    cache_dir.mkdir(parents=True)
    pickle = cache_dir / f"{platform.python_version()}.capabilities.pickle"
    pickle.write_bytes(b"not a pickle")
    future = pickle.stat().st_mtime + 10**6  # newer than escpos's capabilities.json
    os.utime(pickle, (future, future))

    result = run_fresh(tmp_path, expected_stderr="discarding its cache")

    assert result["bytes"] > 0
    assert pickle.read_bytes() != b"not a pickle"
