"""Where a connection's reader delivers the frames of one call: a waiting caller, a stream's
queue, or one slot of a pipeline. Used by the thread-based Connection."""
from __future__ import annotations

import collections
import threading
from typing import Deque, List, Optional, Union

from .errors import ParleyError
from .frame import Frame

Outcome = Union[Frame, ParleyError]


class UnarySink:
    """One answer, waited for by one caller thread."""

    __slots__ = ("outcome", "_event")

    def __init__(self) -> None:
        self.outcome: Optional[Outcome] = None
        self._event = threading.Event()

    def deliver(self, frame: Frame) -> None:
        self.outcome = frame
        self._event.set()

    def fail(self, error: ParleyError) -> None:
        self.outcome = error
        self._event.set()

    def wait(self, timeout: Optional[float]) -> Optional[Outcome]:
        """The frame or error, or None when the timeout passed first."""
        if self._event.wait(timeout):
            return self.outcome
        return None


class StreamSink:
    """The frames of a server stream, in order, consumed by an iterator."""

    __slots__ = ("_items", "_ready")

    def __init__(self) -> None:
        self._items: Deque[Outcome] = collections.deque()
        self._ready = threading.Condition(threading.Lock())

    def deliver(self, frame: Frame) -> None:
        with self._ready:
            self._items.append(frame)
            self._ready.notify()

    def fail(self, error: ParleyError) -> None:
        with self._ready:
            self._items.append(error)
            self._ready.notify()

    def next(self, timeout: Optional[float]) -> Optional[Outcome]:
        with self._ready:
            if not self._items and not self._ready.wait_for(lambda: self._items, timeout):
                return None
            return self._items.popleft()


class BatchSink:
    """Many calls' answers (a pipeline), waited for together: one wake-up for the batch."""

    __slots__ = ("outcomes", "_remaining", "_lock", "_done")

    def __init__(self, size: int) -> None:
        self.outcomes: List[Optional[Outcome]] = [None] * size
        self._remaining = size
        self._lock = threading.Lock()
        self._done = threading.Event()
        if size == 0:
            self._done.set()

    def slot(self, index: int) -> "BatchSlot":
        return BatchSlot(self, index)

    def _set(self, index: int, outcome: Outcome) -> None:
        with self._lock:
            if self.outcomes[index] is not None:
                return
            self.outcomes[index] = outcome
            self._remaining -= 1
            finished = self._remaining == 0
        if finished:
            self._done.set()

    def wait(self, timeout: Optional[float]) -> bool:
        return self._done.wait(timeout)


class BatchSlot:
    __slots__ = ("_batch", "_index")

    def __init__(self, batch: BatchSink, index: int) -> None:
        self._batch = batch
        self._index = index

    def deliver(self, frame: Frame) -> None:
        self._batch._set(self._index, frame)

    def fail(self, error: ParleyError) -> None:
        self._batch._set(self._index, error)
