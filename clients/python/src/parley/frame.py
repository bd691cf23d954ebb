"""Frames of the Parley protocol: the 20-byte header, its encoder and an incremental decoder.

Layout (docs/PROTOCOL.md): magic "PL", version 1, type, call id (u32), code (u16),
flags (u16), meta length (u32), body length (u32), then meta and body. Big-endian.
"""
from __future__ import annotations

import enum
import struct
from typing import List, NamedTuple

from .errors import ProtocolError

MAGIC = b"PL"
VERSION = 1
HEADER = struct.Struct(">2sBBIHHII")
HEADER_SIZE = HEADER.size  # 20
MAX_META = 65_536
DEFAULT_MAX_FRAME = 4 * 1024 * 1024


class FrameType(enum.IntEnum):
    HELLO = 1
    REQUEST = 2
    RESPONSE = 3
    CANCEL = 4
    PING = 5
    PONG = 6
    GOAWAY = 7


class FrameFlag(enum.IntFlag):
    NONE = 0
    MORE = 1  # more RESPONSE frames follow for this call (server streaming)


_KNOWN_FLAGS = int(FrameFlag.MORE)
_KNOWN_TYPES = frozenset(int(t) for t in FrameType)


class Frame(NamedTuple):
    type: int
    call_id: int
    code: int
    flags: int
    meta: bytes
    body: bytes

    @property
    def more(self) -> bool:
        return bool(self.flags & FrameFlag.MORE)


def encode_frame(
    frame_type: FrameType, call_id: int, code: int = 0, body: bytes = b"", meta: bytes = b"", flags: int = 0
) -> bytes:
    return HEADER.pack(MAGIC, VERSION, frame_type, call_id, code, flags, len(meta), len(body)) + meta + body


class FrameDecoder:
    """Turns the bytes of a stream into frames; checks each header before buffering its payload."""

    def __init__(self, max_frame_size: int = DEFAULT_MAX_FRAME) -> None:
        self.max_frame_size = max_frame_size
        self._buffer = bytearray()

    def feed(self, data: bytes) -> List[Frame]:
        buffer = self._buffer
        buffer += data
        frames: List[Frame] = []
        offset = 0
        end = len(buffer)
        unpack = HEADER.unpack_from
        while end - offset >= HEADER_SIZE:
            magic, version, ftype, call_id, code, flags, meta_len, body_len = unpack(buffer, offset)
            if magic != MAGIC:
                raise ProtocolError(f"the server sent bytes that are not a Parley frame (magic {magic!r})")
            if version != VERSION:
                raise ProtocolError(f"the server speaks protocol version {version}, this client version {VERSION}")
            if ftype not in _KNOWN_TYPES:
                raise ProtocolError(f"the server sent a frame of unknown type {ftype}")
            if flags & ~_KNOWN_FLAGS:
                raise ProtocolError(f"the server sent a frame with reserved flag bits set ({flags:#06x})")
            if meta_len > MAX_META or meta_len + body_len > self.max_frame_size:
                raise ProtocolError(
                    f"the server sent a frame of {meta_len + body_len} bytes, over the limit of {self.max_frame_size}"
                )
            total = HEADER_SIZE + meta_len + body_len
            if end - offset < total:
                break
            start = offset + HEADER_SIZE
            meta = bytes(buffer[start:start + meta_len]) if meta_len else b""
            body = bytes(buffer[start + meta_len:offset + total]) if body_len else b""
            frames.append(Frame(ftype, call_id, code, flags, meta, body))
            offset += total
        if offset:
            del buffer[:offset]
        return frames
