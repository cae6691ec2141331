"""``mostrador self-test``'s report and exit codes, run from the source tree (the bundle's own
run is in test_bundle.py)."""

from __future__ import annotations

import shutil

from pos_app import selftest
from pos_app.selftest import CheckResult, exit_code, format_result


def test_the_exit_code_is_0_when_all_ok_1_with_warnings_and_2_with_any_failure():
    ok = CheckResult("fts5", "ok", "SQLite")
    warn = CheckResult("keyring", "warn", "no keyring")
    fail = CheckResult("migrations", "fail", "missing 0007")
    assert exit_code([ok, ok]) == 0
    assert exit_code([ok, warn]) == 1
    assert exit_code([warn, fail, ok]) == 2
    assert format_result(fail).split(maxsplit=2) == ["fail", "migrations", "missing 0007"]


def test_a_qt_that_cannot_start_is_a_failed_check_not_a_crashed_report(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "no-such-platform")
    result = selftest.check_qt()
    assert result.status == "fail"
    assert result.detail.startswith("Qt no arranca")


def test_qt_starts_offscreen_and_lists_its_platform_plugins(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    result = selftest.check_qt()
    assert result.status == "ok", result.detail
    assert "plataforma offscreen" in result.detail


def test_a_missing_or_stale_translation_fails_naming_the_file(monkeypatch, tmp_path):
    monkeypatch.setattr(selftest, "TRANSLATIONS_DIR", tmp_path)
    missing = selftest.check_translations()
    assert missing.status == "fail" and "mostrador_en.qm" in missing.detail
    (tmp_path / "mostrador_en.qm").write_bytes(b"not a translation")
    broken = selftest.check_translations()
    assert broken.status == "fail" and "mostrador_en.qm" in broken.detail


def test_migrations_with_a_gap_fail_naming_the_missing_revision(monkeypatch, tmp_path):
    from pos_app.storage import db

    copy = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(db, "MIGRATIONS_DIR", copy)
    assert selftest.check_migrations().status == "ok"
    versions = sorted((copy / "versions").glob("0*.py"))
    gone = versions[len(versions) // 2]
    gone.unlink()
    result = selftest.check_migrations()
    assert result.status == "fail"
    assert gone.name[:4] in result.detail
