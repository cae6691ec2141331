"""Errors of the backend.

    ServerError                     expected errors: never a traceback, always a clear message
     +-- ApiError                   answered to a client as an ErrorBody (status, code, message)
     |    +-- Unauthorized          401 unauthorized: no token, or a token nobody holds
     |    +-- Revoked               401 revoked: the register was revoked (says when)
     |    +-- NotFound              404 not_found
     |    +-- EnrollmentRefused     401/410: unknown, used or expired enrolment code
     |    +-- CursorAhead           409 cursor_ahead: a cursor this backend never gave out
     |    +-- Unavailable           503 unavailable: the database is away (retry later)
     +-- CommandError               a bad command-line request (the CLI exits 2 with one line)
     |    +-- CatalogRejected       a catalog file with bad rows (each with its line number)
     +-- SchemaOutOfDate            the database is not at this server's schema version

Database errors of the driver are translated at the boundary: a transient one (connection
lost, lock time-out, serialization failure) becomes ``Unavailable``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime


class ServerError(Exception):
    """Base of every expected error of the backend."""


class ApiError(ServerError):
    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class Unauthorized(ApiError):
    status = 401
    code = "unauthorized"


class Revoked(ApiError):
    status = 401
    code = "revoked"

    def __init__(self, revoked_at: datetime) -> None:
        super().__init__(
            f"this register was revoked on {revoked_at:%Y-%m-%d %H:%M} UTC; "
            "ask IT for a new enrolment code to enrol it again"
        )
        self.revoked_at = revoked_at


class NotFound(ApiError):
    status = 404
    code = "not_found"


class EnrollmentRefused(ApiError):
    status = 401
    code = "unauthorized"


class CursorAhead(ApiError):
    status = 409
    code = "cursor_ahead"


class Unavailable(ApiError):
    status = 503
    code = "unavailable"


class CommandError(ServerError):
    pass


class CatalogRejected(CommandError):
    def __init__(self, problems: Sequence[str], total: int) -> None:
        more = f" (showing the first {len(problems)})" if total > len(problems) else ""
        super().__init__(f"the catalog was not imported: {total} problem(s){more}")
        self.problems = list(problems)
        self.total = total


class SchemaOutOfDate(ServerError):
    pass
