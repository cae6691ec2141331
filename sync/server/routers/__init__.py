"""Routes of the backend, one module per resource."""

from __future__ import annotations

from typing import Any

from sync.protocol import ErrorBody

_DESCRIPTIONS = {
    401: "No token, an unknown token (code `unauthorized`), or a revoked register (`revoked`)",
    403: "The caller may not do this (`forbidden`): a register creating or cancelling an "
    "order, a register of another store, a key of another channel",
    404: "Not found (`not_found`)",
    409: "A cursor this backend never gave out (`cursor_ahead`); an order that can no longer "
    "be cancelled (`order_closed`); an external_ref used for another order "
    "(`external_ref_reused`); a web order nothing of which was collected (`not_returnable`)",
    410: "The enrolment code was used (`enrollment_code_used`) or expired "
    "(`enrollment_code_expired`)",
    413: "More than MAX_PUSH_EVENTS events, or a body too large (`too_large`)",
    422: "The request does not follow the schema (`invalid`)",
    426: "Missing or unsupported X-Mostrador-Protocol (`protocol_version`, with `supported`)",
    500: "A fault of the backend (`internal`); the details are in its log",
    503: "The database is not available right now (`unavailable`): retry later",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses (plus 500), all with an ErrorBody."""
    return {
        status: {"model": ErrorBody, "description": _DESCRIPTIONS[status]}
        for status in sorted({*statuses, 500})
    }
