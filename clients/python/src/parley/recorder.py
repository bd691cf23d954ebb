"""The chat request's hot path: `recorder.log_turn(...)` queues the turn and returns; a
background thread sends turns in LogTurns batches, by size and by time.

- Memory is bounded (`max_pending` turns queued); a turn that does not fit is dropped,
  counted and logged, never silently.
- With `spool_dir`, every batch is written to disk before it is sent and removed when
  Parley acknowledged it, so a parleyd restart or an outage loses nothing; a later Recorder
  on the same directory sends what is left. Without one, a batch in flight is retried
  until acknowledged, and the queue absorbs what arrives meanwhile.
- `close()` (also run at exit) drains within `close_timeout` seconds; what is not
  delivered by then is counted as dropped (or stays in the spool).
- `log_turn` never raises: bad arguments are counted as rejected with the reason.
"""
from __future__ import annotations

import atexit
import collections
import dataclasses
import logging
import os
import re
import threading
import time
import itertools
import uuid
from typing import Any, Deque, Dict, Optional, Tuple

from ._proto import parley_service_pb2 as service
from .client import Client
from .enums import WriteOutcome
from .errors import ParleyError
from .methods import Method
from .records import make_turn
from .retry import Backoff
from .spool import Spool
from .status import StatusCode

log = logging.getLogger("parley.recorder")

# Whole-batch answers worth waiting out; any other error rejects the batch's turns.
# (INTERNAL and UNKNOWN are not: a batch that always fails would block every later one.)
_TRANSIENT = frozenset({StatusCode.UNAVAILABLE, StatusCode.DEADLINE_EXCEEDED, StatusCode.RESOURCE_EXHAUSTED,
                        StatusCode.ABORTED, StatusCode.CANCELLED})
_DROP_LOG_INTERVAL = 1.0
_MAX_REASONS = 100
_BATCH_POSITION = re.compile(r"^turns\[\d+\]\.")
MAX_TURNS_PER_CALL = 1000  # parleyd answers a larger LogTurns with 3 INVALID_ARGUMENT


@dataclasses.dataclass(frozen=True)
class RecorderCounters:
    """Counts of turns. logged + recovered = acknowledged + rejected + dropped + pending
    + kept_in_spool whenever the sender is idle (after flush() or close())."""

    logged: int              # log_turn calls (queued, or dropped at once: queue full, closed)
    recovered: int           # turns found in the spool at start, left by an earlier run
    sent: int                # turns sent to Parley (first attempts)
    retried: int             # turns sent again after a failed attempt
    acknowledged: int        # stored or duplicate (already stored)
    duplicates: int          # of acknowledged: Parley had them already
    rejected: int            # refused by Parley (or invalid arguments), with reasons
    dropped: int             # never delivered: queue full, closed, not drained in time
    pending: int             # queued or in the outbox (memory or spool), not yet answered
    kept_in_spool: int       # after close: turns left on disk for the next Recorder
    rejected_reasons: Dict[str, int]
    dropped_reasons: Dict[str, int]


class Recorder:
    """`recorder = parley.Recorder(client, spool_dir="/var/lib/app/parley-spool")`, then
    `recorder.log_turn(session_id=..., model=..., input_tokens=..., ...)` (the keywords of
    `parley.make_turn`; `turn_id` defaults to a new unique id, which log_turn returns)."""

    def __init__(
        self,
        client: Optional[Client] = None,
        *,
        organization_id: Optional[str] = None,
        spool_dir: Optional[os.PathLike] = None,
        spool_max_bytes: int = 1 << 30,
        spool_fsync: bool = False,
        batch_size: int = 500,
        flush_interval: float = 0.2,
        max_pending: int = 100_000,
        send_timeout: float = 10.0,
        close_timeout: float = 5.0,
        close_at_exit: bool = True,
        **client_args: Any,
    ) -> None:
        if client is not None and client_args:
            raise TypeError(f"pass a client or its arguments ({', '.join(client_args)}), not both")
        self._client = client if client is not None else Client(**client_args)
        self._owns_client = client is None
        self.organization_id = organization_id if organization_id is not None else self._client._organization_id
        if not 1 <= batch_size <= MAX_TURNS_PER_CALL:
            raise ValueError(f"batch_size must be 1 to {MAX_TURNS_PER_CALL} (parleyd takes at most that many per call)")
        if max_pending < batch_size:
            raise ValueError("max_pending must hold at least one batch")
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.max_pending = max_pending
        self.send_timeout = send_timeout
        self.close_timeout = close_timeout
        self._spool = Spool(spool_dir, max_bytes=spool_max_bytes, fsync=spool_fsync) if spool_dir else None
        self._queue: Deque[Tuple[str, Dict[str, Any], float]] = collections.deque()  # id, fields, queued at
        self._memory_outbox: Optional[service.LogTurnsRequest] = None
        self._lock = threading.Condition(threading.Lock())  # guards the counters below
        # Turns taken off the queue by the sender, and turns log_turn refused: logged is these plus
        # the queued ones, so queueing takes no lock.
        self._taken = self._refused = self._sent = self._retried = self._acknowledged = self._duplicates = 0
        self._rejected = self._dropped = self._kept = 0
        self._recovered = self._spool.turns_on_disk() if self._spool else 0
        self._outbox_turns = self._recovered
        self._rejected_reasons: Dict[str, int] = collections.Counter()
        self._dropped_reasons: Dict[str, int] = collections.Counter()
        self._unlogged_drops = 0
        self._last_drop_log = 0.0
        self._backoff = Backoff(0.05, 1.0)
        # Default turn ids: a random prefix per recorder and a sequence, unique without the
        # cost of a UUID per call.
        self._id_prefix = "r" + uuid.uuid4().hex[:20] + "-"
        self._id_sequence = itertools.count(1)
        self._wake = threading.Event()
        self._closing = False
        self._retrying = False  # the outbox's oldest batch failed at least once
        self._stop_at: Optional[float] = None
        self._thread = threading.Thread(target=self._run, name="parley-recorder", daemon=True)
        self._thread.start()
        self._at_exit = close_at_exit
        if close_at_exit:
            atexit.register(self.close)

    # -- the hot path ------------------------------------------------------------------------
    def log_turn(self, turn_id: Optional[str] = None, **fields: Any) -> Optional[str]:
        """Queues one turn; returns its id, or None when it was dropped (counted and logged)."""
        try:
            if self._closing:
                self._drop(1, "the recorder is closed", refused=True)
                return None
            if len(self._queue) >= self.max_pending:
                self._drop(1, f"queue full ({self.max_pending} turns pending)", refused=True)
                return None
            turn_id = turn_id or f"{self._id_prefix}{next(self._id_sequence)}"
            self._queue.append((turn_id, fields, time.monotonic()))
            if len(self._queue) >= self.batch_size:
                self._wake.set()
            return turn_id
        except Exception as exc:  # never into the chat request; counted instead
            self._drop(1, f"recorder error: {exc!r}", refused=True)
            return None

    # -- counters ----------------------------------------------------------------------------
    @property
    def counters(self) -> RecorderCounters:
        with self._lock:
            return RecorderCounters(
                logged=self._taken + self._refused + len(self._queue), recovered=self._recovered, sent=self._sent,
                retried=self._retried,
                acknowledged=self._acknowledged, duplicates=self._duplicates, rejected=self._rejected,
                dropped=self._dropped, pending=len(self._queue) + self._outbox_turns, kept_in_spool=self._kept,
                rejected_reasons=dict(self._rejected_reasons), dropped_reasons=dict(self._dropped_reasons),
            )

    def _settled(self) -> int:
        return self._acknowledged + self._rejected + self._dropped + self._kept

    def flush(self, timeout: float = 10.0) -> bool:
        """Waits until every turn logged before the call was answered (or dropped); True if so
        within `timeout`, False if not. Never blocks longer than the timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            target = self._taken + self._refused + len(self._queue) + self._recovered
        self._wake.set()
        with self._lock:
            while self._settled() < target:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._thread.is_alive():
                    return False
                self._lock.wait(min(remaining, 0.05))
            return True

    def _drop(self, count: int, reason: str, refused: bool = False) -> None:
        """Counts and logs turns that will never be sent; `refused`: log_turn did not queue them."""
        with self._lock:
            if refused:
                self._refused += count
            self._dropped += count
            self._dropped_reasons[reason] += count
            self._unlogged_drops += count
            now = time.monotonic()
            if now - self._last_drop_log < _DROP_LOG_INTERVAL:
                return  # the next line (or close) reports these
            unlogged, self._unlogged_drops, self._last_drop_log = self._unlogged_drops, 0, now
            total = self._dropped
            self._lock.notify_all()
        log.warning("parley recorder dropped %d turn(s): %s (%d dropped in total)", unlogged, reason, total)

    def _reject(self, reason: str) -> None:
        with self._lock:
            self._count_rejection(reason)

    def _count_rejection(self, reason: str) -> None:
        """Under the lock. Reasons carry values, so their number is capped."""
        self._rejected += 1
        if reason not in self._rejected_reasons and len(self._rejected_reasons) >= _MAX_REASONS:
            reason = "other reasons (see the log)"
        self._rejected_reasons[reason] += 1

    # -- the background thread -----------------------------------------------------------------
    def _run(self) -> None:
        failures = 0
        try:
            while True:
                self._fill_outbox()
                outcome = self._send_oldest()
                if outcome is None:  # nothing to send
                    if self._closing and not self._queue:
                        return
                    self._wake.wait(self._until_flush_due())
                    self._wake.clear()
                elif outcome:
                    failures = 0
                else:
                    failures += 1
                    self._wait_out(self._backoff.delay(failures))
                if self._stop_at is not None and time.monotonic() >= self._stop_at:
                    return
        except Exception:  # a bug here must not kill delivery silently
            log.exception("parley recorder: the sender failed")
        finally:
            self._finish()

    def _wait_out(self, delay: float) -> None:
        """Sleeps through a backoff, still moving new turns to the spool meanwhile."""
        end = time.monotonic() + delay
        if self._stop_at is not None:
            end = min(end, self._stop_at)
        while True:
            remaining = end - time.monotonic()
            if remaining <= 0:
                return
            self._wake.wait(min(remaining, self.flush_interval))
            self._wake.clear()
            if self._spool is not None:
                self._fill_outbox()

    def _take_batch(self) -> Optional[service.LogTurnsRequest]:
        if not self._queue:
            return None
        if len(self._queue) < self.batch_size and not self._closing and self._until_flush_due() > 0:
            return None
        with self._lock:
            taken = [self._queue.popleft() for _ in range(min(self.batch_size, len(self._queue)))]
            self._taken += len(taken)
        request = service.LogTurnsRequest()
        for built, (turn_id, fields, _) in enumerate(taken):
            if built % 64 == 63:
                time.sleep(0)  # hands the GIL to callers of log_turn: their latency is the point
            try:
                fields.setdefault("organization_id", self.organization_id)
                request.turns.append(make_turn(turn_id=turn_id, **fields))
            except (TypeError, ValueError) as exc:
                log.error("parley recorder rejected turn %s: invalid arguments: %s", turn_id, exc)
                self._reject(f"invalid arguments: {exc}")
        return request

    def _until_flush_due(self) -> float:
        """Seconds until a part batch is due: when its oldest turn waited a flush interval."""
        if not self._queue:
            return self.flush_interval
        return max(0.0, self._queue[0][2] + self.flush_interval - time.monotonic())

    def _fill_outbox(self) -> None:
        if self._spool is None:
            if self._memory_outbox is None:
                batch = self._take_batch()
                if batch is not None and batch.turns:
                    self._memory_outbox = batch
                    with self._lock:
                        self._outbox_turns += len(batch.turns)
            return
        while self._queue:
            if not self._spool.has_room(self._estimated_batch_bytes()):
                return  # the queue holds them; it drops when full
            batch = self._take_batch()
            if batch is None:
                return
            if batch.turns:
                self._spool_batch(batch)

    def _spool_batch(self, batch: service.LogTurnsRequest) -> None:
        try:
            self._spool.append(batch)
        except OSError as exc:  # a full or broken disk: these turns cannot be kept
            log.error("parley recorder: cannot write the spool in %s: %s", self._spool.directory, exc)
            self._drop(len(batch.turns), f"spool write failed: {exc.strerror or exc}")
            return
        with self._lock:
            self._outbox_turns += len(batch.turns)

    def _estimated_batch_bytes(self) -> int:
        return 512 * min(self.batch_size, len(self._queue))

    def _send_oldest(self) -> Optional[bool]:
        """Sends the oldest batch: None when there is none, True when Parley answered it,
        False when it must be tried again."""
        if self._spool is not None:
            oldest = self._spool.oldest()
            if oldest is None:
                return None
            request = oldest[1]
        else:
            request = self._memory_outbox
            if request is None:
                return None
        with self._lock:
            if not self._retrying:
                self._sent += len(request.turns)
            else:
                self._retried += len(request.turns)
        timeout = self.send_timeout
        if self._stop_at is not None:
            timeout = max(0.05, min(timeout, self._stop_at - time.monotonic()))
        try:
            response = self._client._call(Method.LOG_TURNS, request, timeout)
        except ParleyError as exc:
            if exc.code in _TRANSIENT:
                if not self._retrying:  # one line per outage, not one per attempt
                    log.warning("parley recorder: Parley did not take %d turn(s), sending them again until it "
                                "does: %s", len(request.turns), exc)
                self._retrying = True
                return False
            log.error("parley recorder: Parley rejected a batch of %d turn(s): %s", len(request.turns), exc)
            self._settle(request, None, f"{exc.code.name}: {exc.message}")
            return True
        self._settle(request, response, None)
        return True

    def _settle(self, request: service.LogTurnsRequest, response: Optional[service.LogTurnsResponse],
                batch_error: Optional[str]) -> None:
        if self._retrying:
            log.warning("parley recorder: Parley answered again; delivery resumed")
        self._retrying = False
        acknowledged = duplicates = 0
        reasons = []
        if response is not None:
            for item in response.items:
                if item.status == StatusCode.OK:
                    acknowledged += 1
                    duplicates += item.outcome == WriteOutcome.DUPLICATE
                else:
                    # The batch position (turns[3].) says nothing once the batch is gone.
                    detail = "; ".join(f"{_BATCH_POSITION.sub('', v.field)}: {v.reason}" for v in item.violations)
                    reasons.append(f"{StatusCode.of(item.status).name}: {detail or item.message}")
                    log.error("parley recorder: Parley rejected turn %s: %s", item.turn_id, reasons[-1])
        else:
            reasons = [batch_error] * len(request.turns)
        if self._spool is not None:
            self._spool.remove_oldest()
        else:
            self._memory_outbox = None
        with self._lock:
            self._outbox_turns -= len(request.turns)
            self._acknowledged += acknowledged
            self._duplicates += duplicates
            for reason in reasons:
                self._count_rejection(reason)
            self._lock.notify_all()

    def _finish(self) -> None:
        """What the thread could not deliver: to the spool if there is one, else dropped."""
        if self._spool is not None:
            self._stop_at = self._stop_at or time.monotonic()
            while self._queue and self._spool.has_room(self._estimated_batch_bytes()):
                batch = self._take_batch()
                if batch is None:
                    break
                if batch.turns:
                    self._spool_batch(batch)
            with self._lock:
                self._kept, self._outbox_turns = self._outbox_turns, 0
        elif self._memory_outbox is not None:
            count = len(self._memory_outbox.turns)
            self._memory_outbox = None
            with self._lock:
                self._outbox_turns -= count
            self._drop(count, "not delivered before close")
        if self._queue:
            with self._lock:
                count = 0
                while self._queue:
                    self._queue.popleft()
                    count += 1
                self._taken += count
            self._drop(count, "not delivered before close")
        with self._lock:
            self._last_drop_log = 0.0
            unlogged, self._unlogged_drops = self._unlogged_drops, 0
            self._lock.notify_all()
        if unlogged:
            log.warning("parley recorder dropped %d more turn(s) (%d dropped in total: %s)", unlogged,
                        self._dropped, dict(self._dropped_reasons))

    # -- life --------------------------------------------------------------------------------
    def close(self, timeout: Optional[float] = None) -> RecorderCounters:
        """Sends what is queued, waiting at most `timeout` (default close_timeout) seconds;
        then stops. Returns the final counts. Idempotent; runs at interpreter exit."""
        if self._at_exit:
            atexit.unregister(self.close)
            self._at_exit = False
        timeout = self.close_timeout if timeout is None else timeout
        if not self._closing:
            self._closing = True
            self._stop_at = time.monotonic() + timeout
            self._wake.set()
        self._thread.join(timeout + 1.0)
        if self._spool is not None:
            self._spool.close()
        if self._owns_client:
            self._client.close(timeout=1.0)
        counters = self.counters
        log.info("parley recorder closed: %s", counters)
        return counters

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
