"""The register's log file: in the directory asked for, rotated, bearer tokens blanked."""

from __future__ import annotations

import logging

from pos_app.logging_setup import LOG_FILE, default_log_dir, log_files, start_log_file


def test_the_log_file_rotates_and_keeps_a_few_old_files(tmp_path):
    log_file = start_log_file(tmp_path / "logs", max_bytes=2_000, backups=2)
    assert log_file is not None and log_file.path == tmp_path / "logs" / LOG_FILE
    logger = logging.getLogger("pos_app.test_rotation")
    try:
        for i in range(200):
            logger.info("sale %04d completed %s", i, "x" * 40)
    finally:
        log_file.close()
    files = log_files(tmp_path / "logs")
    assert [p.name for p in files] == [LOG_FILE, f"{LOG_FILE}.1", f"{LOG_FILE}.2"]
    assert all(p.stat().st_size <= 2_000 for p in files)
    assert "sale 0199 completed" in files[0].read_text(encoding="utf-8")
    logger.info("after close")  # the handler is gone from the root logger
    assert "after close" not in files[0].read_text(encoding="utf-8")


def test_a_bearer_token_is_blanked_whoever_logs_it(tmp_path):
    log_file = start_log_file(tmp_path)
    assert log_file is not None
    try:
        logging.getLogger("httpx.test").warning("headers: Authorization: Bearer %s", "s3cr3t.tok")
    finally:
        log_file.close()
    text = (tmp_path / LOG_FILE).read_text(encoding="utf-8")
    assert "Authorization: Bearer <redactado>" in text and "s3cr3t" not in text


def test_the_log_directory_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MOSTRADOR_LOG_DIR", str(tmp_path / "elsewhere"))
    assert default_log_dir() == tmp_path / "elsewhere"


def test_an_unwritable_log_directory_leaves_the_register_without_a_log_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert start_log_file(blocker / "logs") is None
