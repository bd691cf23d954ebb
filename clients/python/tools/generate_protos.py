"""Generates the package's message modules (parley/_proto/*_pb2.py) from Protos/*.proto.

protoc writes `import parley_records_pb2`, a top-level import; inside the package the
modules import each other relatively, so that rewrite is part of generation. Run through
Tools/gen-protos; tests/test_generated_code.py runs it into a temporary directory and fails
when the committed modules differ.
"""
from __future__ import annotations

import argparse
import pathlib
import re
import sys

from grpc_tools import protoc

_TOP_LEVEL_IMPORT = re.compile(r"^import (parley_\w+_pb2) as ", re.MULTILINE)
_HEADER = '"""Generated from Protos/ by Tools/gen-protos. Do not edit."""\n'


def generate(protos: pathlib.Path, out: pathlib.Path) -> list[pathlib.Path]:
    out.mkdir(parents=True, exist_ok=True)
    sources = sorted(str(p) for p in protos.glob("*.proto"))
    status = protoc.main(["protoc", f"--proto_path={protos}", f"--python_out={out}", *sources])
    if status != 0:
        raise SystemExit(f"protoc failed with status {status}")
    written = []
    for module in sorted(out.glob("parley_*_pb2.py")):
        text = _TOP_LEVEL_IMPORT.sub(r"from . import \1 as ", module.read_text())
        module.write_text(text)
        written.append(module)
    (out / "__init__.py").write_text(_HEADER)
    return written


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--protos", type=pathlib.Path, required=True)
    parser.add_argument("--out", type=pathlib.Path, required=True)
    args = parser.parse_args(argv)
    for stale in args.out.glob("parley_*_pb2.py"):
        stale.unlink()
    written = generate(args.protos, args.out)
    print(f"generated: {len(written)} Python modules from {len(list(args.protos.glob('*.proto')))} protos")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
