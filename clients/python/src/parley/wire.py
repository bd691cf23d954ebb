"""Encoding a call into a REQUEST frame and reading its RESPONSE frames, for both clients."""
from __future__ import annotations

import math
import os
import struct
from typing import Optional

from google.protobuf.message import DecodeError, Message

from ._proto import parley_wire_pb2
from .errors import ProtocolError, ResourceExhausted, error_from_meta
from .frame import MAX_META, Frame, FrameType, encode_frame
from .methods import MethodSpec
from .status import StatusCode

PROTOCOL_VERSION = 1


def encode_request(
    call_id: int,
    spec: MethodSpec,
    request: Message,
    *,
    timeout: Optional[float],
    trace_id: Optional[str],
    idempotency_key: Optional[str],
    max_frame_size: int,
) -> bytes:
    body = request.SerializeToString()
    meta = b""
    if timeout is not None or trace_id or idempotency_key:
        info = parley_wire_pb2.CallMetadata()
        if timeout is not None:
            # The server counts from its receipt of the frame, so it never gives up before us.
            info.timeout_ms = max(1, math.ceil(timeout * 1000))
        if trace_id:
            info.trace_id = trace_id
        if idempotency_key:
            info.idempotency_key = idempotency_key
        meta = info.SerializeToString()
    check_size(spec.rpc_name, len(meta), len(body), max_frame_size)
    return encode_frame(FrameType.REQUEST, call_id, spec.method, body, meta)


def check_size(what: str, meta_len: int, body_len: int, max_frame_size: int) -> None:
    """Refuses locally what the server would answer with GOAWAY 8 (and a closed connection)."""
    if meta_len > MAX_META or meta_len + body_len > max_frame_size:
        raise ResourceExhausted(
            f"the request is {meta_len + body_len} bytes, over the server's frame limit of "
            f"{max_frame_size} bytes (Welcome.max_frame_size); send it in smaller parts",
            method=what,
        )


def decode_response(spec: MethodSpec, frame: Frame) -> Message:
    """The response message of a RESPONSE frame, or the call's error raised."""
    if frame.code != StatusCode.OK:
        raise error_from_meta(frame.code, frame.meta, method=spec.rpc_name)
    response = spec.response()
    try:
        response.ParseFromString(frame.body)
    except DecodeError as exc:
        raise ProtocolError(f"the server's {spec.response.DESCRIPTOR.name} did not decode: {exc}", method=spec.rpc_name)
    return response


def encode_hello(client_name: str, api_key: str) -> bytes:
    hello = parley_wire_pb2.Hello(client_name=client_name, api_key=api_key, protocol_version=PROTOCOL_VERSION)
    return encode_frame(FrameType.HELLO, 0, 0, hello.SerializeToString())


def decode_welcome(frame: Frame) -> parley_wire_pb2.Welcome:
    if frame.type == FrameType.GOAWAY or frame.type == FrameType.HELLO and frame.code != StatusCode.OK:
        raise error_from_meta(frame.code, frame.meta, method="HELLO")
    if frame.type != FrameType.HELLO:
        raise ProtocolError(f"the server answered HELLO with a frame of type {frame.type}")
    welcome = parley_wire_pb2.Welcome()
    try:
        welcome.ParseFromString(frame.body)
    except DecodeError as exc:
        raise ProtocolError(f"the server's Welcome did not decode: {exc}")
    return welcome


def ping_body() -> bytes:
    """8 bytes, unique enough to match a PONG to its PING."""
    return struct.pack(">Q", int.from_bytes(os.urandom(8), "big"))


def cancel_frame(call_id: int) -> bytes:
    return encode_frame(FrameType.CANCEL, call_id)


def goaway_frame() -> bytes:
    return encode_frame(FrameType.GOAWAY, 0, StatusCode.OK)

