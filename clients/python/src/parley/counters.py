"""Counters of one client's traffic, over all its connections."""
from __future__ import annotations

import dataclasses
import threading


@dataclasses.dataclass
class ClientCounters:
    """Read the fields; `snapshot()` gives a consistent copy. Updated under `lock` by the client."""

    requests_sent: int = 0
    responses_received: int = 0
    cancels_sent: int = 0
    pings_sent: int = 0
    pongs_received: int = 0
    goaways_received: int = 0
    connects: int = 0        # successful HELLOs; more than one means the client reconnected
    retries: int = 0         # calls sent again after GOAWAY or a lost connection
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock, repr=False, compare=False)

    def snapshot(self) -> "ClientCounters":
        with self.lock:
            return dataclasses.replace(self, lock=threading.Lock())
