"""Writes the seed corpus of the parley-fuzz target (Fuzz/corpus): for every method of
`service Parley`, its request with every field set (direct mode, first byte 0x80 then the
method's index), and a few connections' worth of frames (stream mode, first byte 0x00).
Run by hand after a .proto change:  clients/python/.venv/bin/python Fuzz/make_seeds.py
The inputs format is FuzzInput's (Sources/ParleyFuzz/FuzzInput.swift)."""
from __future__ import annotations

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "clients" / "python" / "src"))

from google.protobuf.descriptor import FieldDescriptor as F  # noqa: E402

from parley.frame import FrameType, encode_frame  # noqa: E402
from parley.methods import SPECS  # noqa: E402
from parley._proto import parley_wire_pb2  # noqa: E402

SCALARS = {
    F.TYPE_STRING: "x-1", F.TYPE_BYTES: b"\x01\x02", F.TYPE_BOOL: True, F.TYPE_DOUBLE: 1.5, F.TYPE_FLOAT: 0.5,
}


def filled(message, depth: int = 0):
    """Every field set once (repeated: one element), nested messages to three levels."""
    for field in message.DESCRIPTOR.fields:
        if field.type == F.TYPE_MESSAGE:
            if depth >= 3:
                continue
            target = getattr(message, field.name)
            child = target.add() if field.is_repeated else target
            filled(child, depth + 1)
            continue
        if field.type == F.TYPE_ENUM:
            values = field.enum_type.values
            value = values[min(1, len(values) - 1)].number
        else:
            value = SCALARS.get(field.type, 7)
        if field.is_repeated:
            getattr(message, field.name).append(value)
        else:
            setattr(message, field.name, value)
    return message


def main() -> None:
    out = ROOT / "Fuzz" / "corpus"
    out.mkdir(parents=True, exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    stream = [encode_frame(FrameType.HELLO, 0, 0, parley_wire_pb2.Hello(client_name="fuzz", api_key="pk_x").SerializeToString())]
    for method, spec in sorted(SPECS.items()):
        body = filled(spec.request()).SerializeToString()
        (out / f"request-{method:02d}-{spec.rpc_name}").write_bytes(bytes([0x80, method - 1]) + body)
        meta = parley_wire_pb2.CallMetadata(timeout_ms=1000, trace_id="t").SerializeToString()
        if method in (2, 3, 17, 23, 30, 42, 43):
            stream.append(encode_frame(FrameType.REQUEST, method, method, body, meta))
    stream.append(encode_frame(FrameType.PING, 0, 0, b"12345678"))
    stream.append(encode_frame(FrameType.CANCEL, 2, 0))
    goaway = parley_wire_pb2.ResponseMetadata(message="bye", retry_after_ms=5).SerializeToString()
    stream.append(encode_frame(FrameType.GOAWAY, 3, 14, b"", goaway))
    (out / "frames-connection").write_bytes(b"\x00" + b"".join(stream))
    (out / "frames-split-header").write_bytes(b"\x00" + stream[0][:11])
    print(f"wrote {len(list(out.iterdir()))} seeds to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
