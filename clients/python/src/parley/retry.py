"""When a call may be sent again, and how long to wait between connection attempts."""
from __future__ import annotations

import random
from typing import FrozenSet

from .errors import CallNotAccepted, ConnectionLost, ParleyError
from .methods import Method

# Sending these twice stores nothing twice: reads, and writes keyed by their own ids
# (turn_id, message_id, entity ids, a price's pattern and start).
IDEMPOTENT: FrozenSet[int] = frozenset({
    Method.SERVER_INFO, Method.LOG_TURN, Method.LOG_TURNS, Method.LOG_MESSAGE, Method.UPSERT_DEVICE,
    Method.GET_DEVICE, Method.UPSERT_CONTACT, Method.GET_CONTACT, Method.UPSERT_PERSONA, Method.GET_PERSONA,
    Method.UPSERT_WIDGET, Method.GET_WIDGET, Method.GET_TURN, Method.GET_SESSION_METRICS,
    Method.LIST_SESSION_METRICS, Method.COUNT_SESSION_METRICS, Method.SET_PRICE, Method.LIST_PRICES,
    Method.USAGE, Method.REPORT_DEVICES, Method.REPORT_MODELS, Method.REPORT_DAILY, Method.REPORT_PERSONAS,
    Method.REPORT_CONTACTS, Method.REPORT_HOURLY, Method.CONTACT_THREAD, Method.REPORT_SESSIONS,
    Method.REPORT_CONVERSION, Method.STATS, Method.EXPORT_TURNS, Method.EXPORT_MESSAGES, Method.CHECK,
})


def may_retry(method: int, error: ParleyError) -> bool:
    """A call the server never accepted can always go again; one lost in flight only when
    running it twice is harmless."""
    if isinstance(error, CallNotAccepted):
        return True
    if isinstance(error, ConnectionLost):
        return method in IDEMPOTENT
    return False


class Backoff:
    """Exponential backoff with full jitter: 0..min(cap, base * 2^attempt) seconds."""

    def __init__(self, base: float, cap: float) -> None:
        self.base, self.cap = base, cap

    def delay(self, attempt: int) -> float:
        return random.uniform(0, min(self.cap, self.base * (2 ** attempt)))
