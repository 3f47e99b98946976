"""The API's errors as its OpenAPI document declares them. Every error is JSON with a stable ``error`` code
and a ``message`` (extra fields, such as ``retry_after``, may follow); each operation lists the statuses it
really answers with :func:`errors`, and a schemathesis run holds the document to it."""

from datetime import datetime

from ninja import Field, Schema
from pydantic import ConfigDict

# What any operation may answer: refused input at the door (400 bad_input, 413 too_large, yongxu.core.guard)
# and 503 when its capability is closed for maintenance or the database is away.
COMMON = (400, 413, 503)


class ErrorOut(Schema):
    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": True})

    error: str = Field(description="A stable code: not_found, invalid_input, rate_limited, maintenance…")
    message: str = Field(description="What went wrong, in words a buyer may be shown")


class UnavailableOut(ErrorOut):
    capability: str | None = Field(None, description="The capability that is closed (maintenance)")
    level: str | None = None
    public_reason: str | None = None
    eta: datetime | None = None
    retry_after: int | None = Field(None, description="Seconds; also sent as the Retry-After header")
    status_url: str | None = None


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error responses of an operation: the common ones and ``statuses``."""
    return {status: UnavailableOut if status == 503 else ErrorOut for status in sorted({*COMMON, *statuses})}
