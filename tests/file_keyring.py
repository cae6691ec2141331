"""A keyring backend for tests that run ``mostrador`` in a child process: the secrets live in
a JSON file named by ``$MOSTRADOR_TEST_KEYRING`` (a test's temporary directory), outside the
register's data and settings, as the system keyring would be.

Chosen with ``PYTHON_KEYRING_BACKEND=file_keyring.FileKeyring`` and ``tests/`` on
``PYTHONPATH``."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @property
    def _path(self) -> Path:
        return Path(os.environ["MOSTRADOR_TEST_KEYRING"])

    def _load(self) -> dict[str, str]:
        if not self._path.exists():
            return {}
        return dict(json.loads(self._path.read_text(encoding="utf-8")))

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        secrets = self._load()
        secrets[f"{service}\n{username}"] = password
        self._path.write_text(json.dumps(secrets), encoding="utf-8")

    def delete_password(self, service: str, username: str) -> None:
        secrets = self._load()
        if secrets.pop(f"{service}\n{username}", None) is None:
            raise PasswordDeleteError(username)
        self._path.write_text(json.dumps(secrets), encoding="utf-8")
