"""Errors the client raises: every one carries a status code, a message and field violations.

`ParleyError` is the base; each status code has its own subclass (`InvalidArgument`,
`DeadlineExceeded`, ...) so callers can `except parley.NotFound:`.
"""
from __future__ import annotations

import dataclasses
from typing import Dict, Optional, Sequence, Tuple, Type

from ._proto import parley_wire_pb2
from .status import StatusCode


@dataclasses.dataclass(frozen=True)
class FieldViolation:
    """One rejected field: its path (e.g. `turns[3].tokens.input`) and why."""

    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class ParleyError(Exception):
    """A call that did not succeed. `code` is the protocol's status code."""

    code: StatusCode = StatusCode.UNKNOWN

    def __init__(
        self,
        message: str,
        *,
        code: Optional[StatusCode] = None,
        violations: Sequence[FieldViolation] = (),
        retry_after_ms: Optional[int] = None,
        method: Optional[str] = None,
    ) -> None:
        if code is not None:
            self.code = code
        self.message = message
        self.violations: Tuple[FieldViolation, ...] = tuple(violations)
        self.retry_after_ms = retry_after_ms
        self.method = method
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.method}: " if self.method else ""
        text = f"{where}{self.code.value} {self.code.name}: {self.message}"
        if self.violations:
            text += " (" + "; ".join(str(v) for v in self.violations) + ")"
        return text

    def for_method(self, method: str) -> "ParleyError":
        """A copy naming the call it ended (one connection error can end many calls)."""
        return type(self)(self.message, code=self.code, violations=self.violations,
                          retry_after_ms=self.retry_after_ms, method=method)

    @property
    def fields(self) -> Tuple[str, ...]:
        """The paths of the violated fields."""
        return tuple(v.field for v in self.violations)


class Cancelled(ParleyError):
    code = StatusCode.CANCELLED


class Unknown(ParleyError):
    code = StatusCode.UNKNOWN


class InvalidArgument(ParleyError):
    code = StatusCode.INVALID_ARGUMENT


class DeadlineExceeded(ParleyError):
    code = StatusCode.DEADLINE_EXCEEDED


class NotFound(ParleyError):
    code = StatusCode.NOT_FOUND


class AlreadyExists(ParleyError):
    code = StatusCode.ALREADY_EXISTS


class PermissionDenied(ParleyError):
    code = StatusCode.PERMISSION_DENIED


class ResourceExhausted(ParleyError):
    code = StatusCode.RESOURCE_EXHAUSTED


class FailedPrecondition(ParleyError):
    code = StatusCode.FAILED_PRECONDITION


class Aborted(ParleyError):
    code = StatusCode.ABORTED


class OutOfRange(ParleyError):
    code = StatusCode.OUT_OF_RANGE


class Unimplemented(ParleyError):
    code = StatusCode.UNIMPLEMENTED


class Internal(ParleyError):
    code = StatusCode.INTERNAL


class Unavailable(ParleyError):
    """The server cannot be reached, went away, or is shutting down."""

    code = StatusCode.UNAVAILABLE


class DataLoss(ParleyError):
    code = StatusCode.DATA_LOSS


class Unauthenticated(ParleyError):
    code = StatusCode.UNAUTHENTICATED


class ProtocolError(ParleyError):
    """The server sent bytes that break the protocol; the connection is closed."""

    code = StatusCode.INTERNAL


_BY_CODE: Dict[StatusCode, Type[ParleyError]] = {
    cls.code: cls
    for cls in (
        Cancelled, Unknown, InvalidArgument, DeadlineExceeded, NotFound, AlreadyExists,
        PermissionDenied, ResourceExhausted, FailedPrecondition, Aborted, OutOfRange,
        Unimplemented, Internal, Unavailable, DataLoss, Unauthenticated,
    )
}


def error_for(
    code: int,
    message: str,
    *,
    violations: Sequence[FieldViolation] = (),
    retry_after_ms: Optional[int] = None,
    method: Optional[str] = None,
) -> ParleyError:
    """The exception for a status code, of that code's subclass."""
    status = StatusCode.of(code)
    cls = _BY_CODE.get(status, ParleyError)
    return cls(message, code=status, violations=violations, retry_after_ms=retry_after_ms, method=method)


def error_from_meta(code: int, meta: bytes, *, method: Optional[str] = None) -> ParleyError:
    """The exception for a non-zero RESPONSE/GOAWAY/HELLO status with its ResponseMetadata."""
    info = parley_wire_pb2.ResponseMetadata()
    try:
        info.ParseFromString(meta)
    except Exception:  # a server bug must still surface as this call's error, with its code
        info = parley_wire_pb2.ResponseMetadata(message="(response metadata did not decode)")
    violations = [FieldViolation(v.field, v.reason) for v in info.violations]
    retry = info.retry_after_ms or None  # 0 and absent both mean "no advice"
    message = info.message or StatusCode.of(code).name.lower().replace("_", " ")
    return error_for(code, message, violations=violations, retry_after_ms=retry, method=method)


class CallNotAccepted(Unavailable):
    """The server went away (GOAWAY) before accepting the call: it was not processed and is
    safe to send again. The clients retry these by themselves."""


class ConnectionLost(Unavailable):
    """The connection broke while the call was in flight: it may or may not have been
    processed. The clients retry idempotent methods (reads, turn and message writes)."""
