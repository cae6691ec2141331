"""The PyInstaller bundle as IT gets it: it passes its self-test, opens the register window,
and its self-test fails, naming the file, when a translation or a migration is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def program(bundle: Path) -> Path:
    windows = bundle / "mostrador-cli.exe"
    return windows if windows.is_file() else bundle / "mostrador"


def run_bundle(bundle: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONPATH", None)  # the bundle must need nothing from this checkout
    return subprocess.run(
        [str(program(bundle)), *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=home,
    )


def self_test(bundle: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return run_bundle(
        bundle,
        "self-test",
        "--data-dir",
        str(tmp_path / "data"),
        "--config",
        str(tmp_path / "absent.toml"),
        home=tmp_path,
    )


def status_of(report: str, check: str) -> tuple[str, str]:
    for line in report.splitlines():
        words = line.split(maxsplit=2)
        if len(words) == 3 and words[1] == check:
            return words[0], words[2]
    raise AssertionError(f"no {check} line in:\n{report}")


def copy_bundle(bundle: Path, target: Path) -> Path:
    """A copy to damage: hard links where the file system allows (fast, no extra space)."""

    def link_or_copy(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(bundle, target, symlinks=True, copy_function=link_or_copy)
    return target


def data_root(bundle: Path) -> Path:
    internal = bundle / "_internal"
    return internal if internal.is_dir() else bundle


def test_the_bundle_passes_its_self_test(bundle_dir, tmp_path):
    result = self_test(bundle_dir, tmp_path)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert not [line for line in lines if line.startswith("fail")], result.stdout
    for check in (
        "qt",
        "translations",
        "resources",
        "libraries",
        "escpos",
        "fts5",
        "migrations",
        "receipt",
    ):
        assert status_of(result.stdout, check)[0] == "ok", result.stdout
    assert "offscreen" in status_of(result.stdout, "qt")[1]
    assert "mostrador_en.qm" in status_of(result.stdout, "translations")[1]
    assert lines[-1].startswith(f"resultado: {result.returncode} (")


def test_the_bundle_opens_the_register_window(bundle_dir, tmp_path):
    result = run_bundle(
        bundle_dir,
        "demo",
        "--offline",
        "--exit-after-ready",
        "--products",
        "200",
        "--data-dir",
        str(tmp_path / "demo"),
        home=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "mostrador: ready (200 products" in result.stdout


def test_a_bundle_without_its_english_translation_fails_its_self_test(bundle_dir, tmp_path):
    damaged = copy_bundle(bundle_dir, tmp_path / "bundle")
    qm = data_root(damaged) / "resources" / "translations" / "mostrador_en.qm"
    qm.unlink()
    result = self_test(damaged, tmp_path)
    assert result.returncode == 2, result.stdout
    status, detail = status_of(result.stdout, "translations")
    assert status == "fail" and "mostrador_en.qm" in detail


def test_a_bundle_missing_a_migration_fails_its_self_test(bundle_dir, tmp_path):
    damaged = copy_bundle(bundle_dir, tmp_path / "bundle")
    versions = data_root(damaged) / "pos_app" / "storage" / "migrations" / "versions"
    migrations = sorted(versions.glob("*.py"))
    assert len(migrations) > 2
    missing = migrations[len(migrations) // 2]
    missing.unlink()
    result = self_test(damaged, tmp_path)
    assert result.returncode == 2, result.stdout
    status, detail = status_of(result.stdout, "migrations")
    assert status == "fail", result.stdout
    assert missing.name.split("_")[0] in detail
