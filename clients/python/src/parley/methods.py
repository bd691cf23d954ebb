"""The method table: ids, request and response messages, streaming, read from the service.

A method's id is its 1-based position in `service Parley` (Protos/parley_service.proto), so
the table is built from the generated descriptor: appending a method to the .proto and
running Tools/gen-protos adds it here. tests/test_methods.py fails when a method has no
client call, and pins the ids of docs/PROTOCOL.md.
"""
from __future__ import annotations

import enum
import re
from typing import Dict, NamedTuple, Type

from google.protobuf import message as _message
from google.protobuf.message_factory import GetMessageClass

from ._proto import parley_service_pb2

_SERVICE = parley_service_pb2.DESCRIPTOR.services_by_name["Parley"]


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# Method.LOG_TURN == 2, Method.LOG_TURN.rpc_name == "LogTurn", ...
Method = enum.IntEnum("Method", [(_snake(m.name).upper(), m.index + 1) for m in _SERVICE.methods])
Method.__doc__ = "Method ids of service Parley, in declaration order."


class MethodSpec(NamedTuple):
    method: "Method"
    rpc_name: str            # as in the .proto, e.g. "ReportModels"
    python_name: str         # the client's method, e.g. "report_models"
    request: Type[_message.Message]
    response: Type[_message.Message]
    streaming: bool


def _spec(descriptor) -> MethodSpec:
    return MethodSpec(
        method=Method(descriptor.index + 1),
        rpc_name=descriptor.name,
        python_name=_snake(descriptor.name),
        request=GetMessageClass(descriptor.input_type),
        response=GetMessageClass(descriptor.output_type),
        streaming=descriptor.server_streaming,
    )


SPECS: Dict[int, MethodSpec] = {m.index + 1: _spec(m) for m in _SERVICE.methods}


def spec(method: int) -> MethodSpec:
    return SPECS[method]
