"""Python client for Parley: `Client` (threads), `AsyncClient` (asyncio), `Recorder` (the
chat request's hot path). See clients/python/README.md."""
from __future__ import annotations

from . import pb
from .aio import AsyncClient
from .client import Client
from .enums import Dimension, Direction, Granularity, Measure, WriteOutcome
from .errors import (
    Aborted, AlreadyExists, CallNotAccepted, Cancelled, ConnectionLost, DataLoss, DeadlineExceeded,
    FailedPrecondition, FieldViolation, Internal, InvalidArgument, NotFound, OutOfRange, ParleyError,
    PermissionDenied, ProtocolError, ResourceExhausted, Unauthenticated, Unavailable, Unimplemented, Unknown,
)
from .jsonshape import to_dict
from .methods import Method
from .pipeline import Pipeline
from .recorder import Recorder, RecorderCounters
from .records import make_turn
from .status import StatusCode
from .tls import TLSError
from .stream import ServerStream
from .version import __version__

__all__ = [
    "AsyncClient", "Client", "Pipeline", "Recorder", "RecorderCounters", "ServerStream", "Method", "StatusCode",
    "Dimension", "Direction", "Granularity", "Measure", "WriteOutcome", "make_turn", "to_dict", "pb",
    "ParleyError", "FieldViolation", "Aborted", "AlreadyExists", "CallNotAccepted", "Cancelled", "ConnectionLost",
    "DataLoss", "DeadlineExceeded", "FailedPrecondition", "Internal", "InvalidArgument", "NotFound", "OutOfRange",
    "PermissionDenied", "ProtocolError", "ResourceExhausted", "TLSError", "Unauthenticated", "Unavailable",
    "Unimplemented", "Unknown", "__version__",
]
