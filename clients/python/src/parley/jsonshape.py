"""A message as the JSON shape the `parley` CLI prints with `--format json` (docs/CLI.md):
field names as in the .proto, in declaration order, absent fields left out, 64-bit integers
as numbers, enums as numbers."""
from __future__ import annotations

from typing import Any, Dict

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message


def to_dict(message: Message) -> Dict[str, Any]:
    out: Dict[str, Any] = {}
    fields = sorted(message.ListFields(), key=lambda pair: pair[0].index)
    for field, value in fields:
        if _repeated(field):
            out[field.name] = [_value(field, v) for v in value]
        else:
            out[field.name] = _value(field, value)
    return out


def _repeated(field: FieldDescriptor) -> bool:
    # protobuf 6.33 deprecates `label` for `is_repeated`; 6.31 has only `label`.
    flag = getattr(field, "is_repeated", None)
    return flag if flag is not None else field.label == FieldDescriptor.LABEL_REPEATED


def _value(field: FieldDescriptor, value: Any) -> Any:
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        return to_dict(value)
    return value
