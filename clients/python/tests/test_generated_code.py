"""The committed message modules are what Tools/gen-protos makes from Protos/ today."""
from __future__ import annotations

import pathlib
import sys

from conftest import REPO

sys.path.insert(0, str(REPO / "clients" / "python" / "tools"))
import generate_protos  # noqa: E402

COMMITTED = REPO / "clients" / "python" / "src" / "parley" / "_proto"


def test_committed_modules_match_protos(tmp_path: pathlib.Path) -> None:
    fresh = generate_protos.generate(REPO / "Protos", tmp_path)
    names = sorted(p.name for p in fresh)
    assert names == sorted(p.name for p in COMMITTED.glob("parley_*_pb2.py")), "run Tools/gen-protos"
    for module in fresh:
        assert module.read_text() == (COMMITTED / module.name).read_text(), \
            f"{module.name} is stale against Protos/: run Tools/gen-protos"
