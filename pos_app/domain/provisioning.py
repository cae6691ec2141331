"""Provisioning a register: what IT gives (backend, store, register name, one-time code) and
what can go wrong, as values shared by ``mostrador provision`` and the first-run wizard.

    ProvisioningError(problem)
     problem = BAD_INPUT      a field is missing or malformed (the backend URL, the code)
               CODE_REFUSED   the enrolment code is wrong, already used or expired
               WRONG_STORE    the code is of another store (it stays unused)
               UNREACHABLE    nothing answered: connection refused, unknown host, time-out
               BAD_BACKEND    something answered, but not as a Mostrador backend (garbage, a
                              server error, another protocol version)
               NO_KEYRING     no usable system keyring for the register's token
               ALREADY        this register is already provisioned (``--force`` enrols it again)
               NOT_WRITABLE   the settings file cannot be written (``--system`` needs an
                              administrator)

Each problem has its own exit code (:data:`EXIT_CODES`) so IT can script provisioning.
The one-time code is a secret until it is used: it never appears in a ``repr`` or a message.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from urllib.parse import urlsplit

MAX_REGISTER_NAME = 60  # as the protocol's EnrollRequest
MAX_STORE_CODE = 10
MIN_CODE, MAX_CODE = 4, 64


class Problem(StrEnum):
    BAD_INPUT = "bad_input"
    CODE_REFUSED = "code_refused"
    WRONG_STORE = "wrong_store"
    UNREACHABLE = "unreachable"
    BAD_BACKEND = "bad_backend"
    NO_KEYRING = "no_keyring"
    ALREADY = "already_provisioned"
    NOT_WRITABLE = "not_writable"


EXIT_CODES: dict[Problem, int] = {
    Problem.BAD_INPUT: 2,  # as argparse's own usage errors
    Problem.CODE_REFUSED: 3,
    Problem.WRONG_STORE: 4,
    Problem.UNREACHABLE: 5,
    Problem.BAD_BACKEND: 6,
    Problem.NO_KEYRING: 7,
    Problem.ALREADY: 8,
    Problem.NOT_WRITABLE: 9,
}


class ProvisioningError(Exception):
    """Provisioning stopped; ``message`` says why and what to do, in Spanish for IT."""

    def __init__(self, problem: Problem, message: str) -> None:
        super().__init__(message)
        self.problem = problem
        self.message = message

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.problem]


@dataclass(frozen=True)
class ProvisionRequest:
    backend_url: str
    store_code: str
    register_name: str
    enrollment_code: str = field(repr=False)

    def validated(self) -> ProvisionRequest:
        """The request with surrounding spaces removed; ProvisioningError(BAD_INPUT) naming
        the first bad field."""
        url = self.backend_url.strip().rstrip("/")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ProvisioningError(
                Problem.BAD_INPUT,
                f"la dirección de la central no es válida ({url or 'vacía'}): "
                "escríbala como https://central.ejemplo.es:8765",
            )
        try:
            parts.port  # noqa: B018 - raises on a port that is not a number
        except ValueError:
            raise ProvisioningError(
                Problem.BAD_INPUT, f"el puerto de la dirección de la central no es válido: {url}"
            ) from None
        store = self.store_code.strip()
        if not store or len(store) > MAX_STORE_CODE:
            raise ProvisioningError(
                Problem.BAD_INPUT,
                f"falta el código de tienda, o es demasiado largo (máximo {MAX_STORE_CODE})",
            )
        name = self.register_name.strip()
        if not name or len(name) > MAX_REGISTER_NAME:
            raise ProvisioningError(
                Problem.BAD_INPUT,
                f"falta el nombre de la caja, o es demasiado largo (máximo {MAX_REGISTER_NAME})",
            )
        code = self.enrollment_code.strip()
        if not MIN_CODE <= len(code) <= MAX_CODE:
            raise ProvisioningError(
                Problem.BAD_INPUT,
                "falta el código de alta, o no tiene la forma de uno: cópielo tal como lo dio "
                "«mostrador-server enrollment-code»",
            )
        return replace(
            self, backend_url=url, store_code=store, register_name=name, enrollment_code=code
        )
