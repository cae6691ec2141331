"""Errors of the sync client.

    SyncError(kind)
     kind = NETWORK   the backend could not be reached or did not answer in time (retry later)
            SERVER    the backend answered 5xx (retry later)
            AUTH      the token is missing, wrong or revoked (a person must act)
            PROTOCOL  the backend speaks another protocol version, or answered something that is
                      not the protocol (garbage, a wrong schema)
            REJECTED  the backend refused the request itself (4xx other than auth): a bug or bad
                      input, not retried as is

``code`` and ``message`` come from the backend's ErrorBody when it sent one.
"""

from __future__ import annotations

from enum import StrEnum


class SyncErrorKind(StrEnum):
    NETWORK = "network"
    SERVER = "server"
    AUTH = "auth"
    PROTOCOL = "protocol"
    REJECTED = "rejected"


class SyncError(Exception):
    def __init__(
        self, kind: SyncErrorKind, message: str, *, code: str = "", status: int | None = None
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.code = code
        self.message = message
        self.status = status

    @property
    def retryable(self) -> bool:
        return self.kind in (SyncErrorKind.NETWORK, SyncErrorKind.SERVER)

    def __str__(self) -> str:
        code = f" [{self.code}]" if self.code else ""
        return f"{self.kind.value}{code}: {self.message}"
