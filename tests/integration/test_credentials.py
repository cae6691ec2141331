"""The register's token lives in the keyring (an in-memory backend here), never in a file."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from pos_app.storage.credentials import (
    CredentialsUnavailable,
    KeyringTokenStore,
    MemoryTokenStore,
)


def test_the_token_is_kept_in_the_keyring_per_backend_and_device(fake_keyring, tmp_path):
    store = KeyringTokenStore("http://central.example:8765/")
    store.set("dev-1", "tok-123")
    assert store.get("dev-1") == "tok-123"
    assert fake_keyring.secrets == {("mostrador", "http://central.example:8765#dev-1"): "tok-123"}
    assert KeyringTokenStore("http://other:1").get("dev-1") is None
    store.delete("dev-1")
    assert store.get("dev-1") is None


def test_a_real_register_refuses_when_no_keyring_is_usable():
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        with pytest.raises(CredentialsUnavailable) as info:
            KeyringTokenStore("http://central:8765")
        assert "Secret Service" in str(info.value) and "nunca se guarda en un archivo" in str(
            info.value
        )
    finally:
        keyring.set_keyring(previous)


def test_the_demo_keeps_its_token_in_memory_only(tmp_path):
    store = MemoryTokenStore()
    store.set("dev", "t")
    assert store.get("dev") == "t"
    assert list(tmp_path.iterdir()) == []
