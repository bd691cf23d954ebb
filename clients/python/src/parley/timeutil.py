"""Times on the wire are epoch milliseconds (UTC); callers may pass datetimes or seconds."""
from __future__ import annotations

import datetime as _dt
import time
from typing import Optional, Union

Instant = Union[_dt.datetime, _dt.date, int, float]


def to_ms(value: Optional[Instant]) -> Optional[int]:
    """Epoch ms of a datetime (naive ones are UTC), a date (UTC midnight), epoch seconds as a
    float, or epoch ms as an int. None stays None."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise TypeError("a time must be a datetime, a date, epoch ms (int) or epoch seconds (float)")
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=_dt.timezone.utc)
        return int(round(value.timestamp() * 1000))
    if isinstance(value, _dt.date):
        return to_ms(_dt.datetime(value.year, value.month, value.day, tzinfo=_dt.timezone.utc))
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(round(value * 1000))
    raise TypeError(f"a time must be a datetime, a date, epoch ms (int) or epoch seconds (float), not {type(value).__name__}")


def now_ms() -> int:
    return time.time_ns() // 1_000_000
