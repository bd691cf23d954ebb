"""Where the server is and which key to use: arguments first, then PARLEY_ADDR / PARLEY_KEY
(as the CLI reads them), then the defaults."""
from __future__ import annotations

import os
from typing import Optional, Tuple

DEFAULT_ADDRESS = "127.0.0.1:7420"


def parse_address(address: Optional[str]) -> Tuple[str, int]:
    text = address or os.environ.get("PARLEY_ADDR") or DEFAULT_ADDRESS
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"address {text!r} is not HOST:PORT (e.g. 127.0.0.1:7420)")
    return host.strip("[]") or "127.0.0.1", int(port)


def resolve_key(api_key: Optional[str]) -> str:
    key = api_key or os.environ.get("PARLEY_KEY")
    if not key:
        raise ValueError("no API key: pass api_key= or set PARLEY_KEY (parleyd writes its admin key to DATA_DIR/admin.key)")
    return key
