"""``POST /v1/enroll``: a one-time code of a store -> a register and its token."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from sync.protocol import EnrollRequest, EnrollResponse
from sync.server.deps import DatabaseDep, require_protocol
from sync.server.errors import ApiError
from sync.server.routers import error_responses
from sync.server.services._sql import storable
from sync.server.services.registers import enroll

router = APIRouter(prefix="/v1", tags=["registers"], dependencies=[Depends(require_protocol)])


@router.post(
    "/enroll",
    response_model=EnrollResponse,
    # ``continuation`` (a takeover's) is left out when there is none: older registers,
    # whose models forbid unknown fields, keep enrolling.
    response_model_exclude_none=True,
    status_code=201,
    responses=error_responses(401, 409, 410, 422, 426, 503),
)
def enroll_register(body: EnrollRequest, database: DatabaseDep) -> EnrollResponse:
    """Enrol a register with a one-time code from IT (`mostrador-server enrollment-code`).

    The token is in this answer only; the backend keeps its hash. With `device_id` of a
    register of the same store, that register gets a new token and keeps its register code
    and its push sequence. A takeover code (`enrollment-code --replace-register`) makes a
    new device of an existing register, revokes the one it replaces, and answers in
    `continuation` where the register's series and fiscal chain stand.
    """

    if not storable(body.model_dump()):
        raise ApiError("the request holds text that cannot be stored (a NUL character)", status=422)

    def work() -> EnrollResponse:
        with database.writing() as conn:
            return enroll(conn, body)

    return database.retrying(work, what="enrolment")
