"""Where the register keeps its backend token: the system keyring, never a file or a log.

A real register refuses to store its token when no usable keyring backend exists, and says how
to set one up. The demo, whose backend is its own on loopback, keeps its token in memory only
and enrols again at each start.
"""

from __future__ import annotations

import logging
from typing import Protocol

log = logging.getLogger(__name__)

SERVICE = "mostrador"

NO_KEYRING_HELP = (
    "no hay un almacén de claves del sistema utilizable (keyring) para guardar el token de la "
    "caja. En Linux instale y desbloquee un servicio Secret Service (GNOME Keyring o KWallet), "
    "en Windows se usa el Administrador de credenciales, en macOS el Llavero; o elija un "
    "backend con la variable PYTHON_KEYRING_BACKEND. El token nunca se guarda en un archivo."
)


class CredentialsUnavailable(Exception):
    """No safe place for the token on this machine."""


class TokenStore(Protocol):
    def get(self, device_id: str) -> str | None: ...
    def set(self, device_id: str, token: str) -> None: ...
    def delete(self, device_id: str) -> None: ...


class MemoryTokenStore:
    """The demo's store: gone when the app exits."""

    def __init__(self) -> None:
        self._tokens: dict[str, str] = {}

    def get(self, device_id: str) -> str | None:
        return self._tokens.get(device_id)

    def set(self, device_id: str, token: str) -> None:
        self._tokens[device_id] = token

    def delete(self, device_id: str) -> None:
        self._tokens.pop(device_id, None)


def keyring_problem() -> str | None:
    """Why the system keyring cannot be used, or None when it can."""
    import keyring
    from keyring.backends import fail

    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring configuration
        return f"{NO_KEYRING_HELP} ({exc})"
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return NO_KEYRING_HELP
    return None


class KeyringTokenStore:
    """Tokens in the system keyring, one entry per backend and device."""

    def __init__(self, backend_url: str) -> None:
        problem = keyring_problem()
        if problem is not None:
            raise CredentialsUnavailable(problem)
        self._backend_url = backend_url.rstrip("/")

    def _user(self, device_id: str) -> str:
        return f"{self._backend_url}#{device_id}"

    def get(self, device_id: str) -> str | None:
        import keyring

        value = keyring.get_password(SERVICE, self._user(device_id))
        return str(value) if value is not None else None

    def set(self, device_id: str, token: str) -> None:
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(SERVICE, self._user(device_id), token)
        except KeyringError as exc:
            raise CredentialsUnavailable(f"{NO_KEYRING_HELP} ({exc})") from exc
        log.info("token stored in the keyring for device %s", device_id)

    def delete(self, device_id: str) -> None:
        import keyring
        from keyring.errors import PasswordDeleteError

        try:
            keyring.delete_password(SERVICE, self._user(device_id))
        except PasswordDeleteError:
            pass
