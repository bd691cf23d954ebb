"""The method table matches docs/PROTOCOL.md, and both clients have a method for every RPC."""
from __future__ import annotations

import inspect
import re

import parley
from conftest import REPO
from parley.methods import SPECS


def documented_methods():
    text = (REPO / "docs" / "PROTOCOL.md").read_text()
    return {int(i): name for i, name in re.findall(r"^\| +(\d+) \| (\w+) \|", text, re.MULTILINE)}


def test_ids_are_those_of_the_protocol_document() -> None:
    table = documented_methods()
    assert len(table) == 48
    assert {m: s.rpc_name for m, s in SPECS.items()} == table


def test_every_rpc_has_a_method_on_both_clients() -> None:
    for spec in SPECS.values():
        for cls in (parley.Client, parley.AsyncClient):
            method = getattr(cls, spec.python_name, None)
            assert method is not None, f"{cls.__name__} lacks {spec.python_name} ({spec.rpc_name})"
            assert "timeout" in inspect.signature(method).parameters


def test_streaming_methods_are_the_documented_ones() -> None:
    streams = {s.rpc_name for s in SPECS.values() if s.streaming}
    assert streams == {"BackfillSessionMetrics", "RetainDetail", "Check", "ExportTurns", "ExportMessages",
                       "StreamBackup"}


def test_the_example_compiles() -> None:
    source = (REPO / "clients" / "python" / "examples" / "fastapi_chat.py").read_text()
    compile(source, "fastapi_chat.py", "exec")
