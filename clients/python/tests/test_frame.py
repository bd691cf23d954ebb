"""Frame encoding and decoding, byte for byte against docs/PROTOCOL.md."""
from __future__ import annotations

import pytest

from parley.errors import ProtocolError
from parley.frame import FrameDecoder, FrameFlag, FrameType, encode_frame


def test_the_documented_example_request() -> None:
    expected = bytes.fromhex("504C0102000000010001000000000000" "00000000")
    assert encode_frame(FrameType.REQUEST, 1, 1) == expected


def test_decoder_reassembles_frames_split_anywhere() -> None:
    data = encode_frame(FrameType.RESPONSE, 7, 0, b"body", b"m", FrameFlag.MORE) + encode_frame(FrameType.PONG, 0, 0, b"12345678")
    decoder = FrameDecoder()
    frames = []
    for i in range(len(data)):
        frames += decoder.feed(data[i:i + 1])
    assert [(f.type, f.call_id, f.meta, f.body, f.more) for f in frames] == [
        (FrameType.RESPONSE, 7, b"m", b"body", True), (FrameType.PONG, 0, b"", b"12345678", False)]


@pytest.mark.parametrize("header, words", [
    (b"XL\x01\x03" + bytes(16), "magic"),
    (b"PL\x02\x03" + bytes(16), "version"),
    (b"PL\x01\x09" + bytes(16), "type"),
    (b"PL\x01\x03" + bytes(6) + b"\x00\x02" + bytes(8), "reserved"),
    (b"PL\x01\x03" + bytes(8) + b"\x00\x00\x00\x00\x7f\xff\xff\xff", "limit"),
])
def test_decoder_rejects_a_bad_header_before_its_payload(header: bytes, words: str) -> None:
    with pytest.raises(ProtocolError, match=words):
        FrameDecoder(max_frame_size=1024).feed(header)
