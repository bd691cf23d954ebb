"""The synchronous, thread-safe client: one connection shared by every thread, reconnected
with backoff when it breaks; calls the server did not accept are sent again."""
from __future__ import annotations

import threading
import time
from typing import Any, List, Optional, Sequence, Tuple, Type

from google.protobuf.message import Message

from .address import parse_address, resolve_key
from .api import ParleyApi
from .connection import Connection
from .errors import CallNotAccepted, DeadlineExceeded, ParleyError, Unauthenticated, Unavailable
from .methods import SPECS, Method, MethodSpec
from .pipeline import Pipeline
from .retry import Backoff, may_retry
from .sinks import BatchSink, StreamSink, UnarySink
from .counters import ClientCounters
from .stream import ServerStream
from .tls import TLSError, client_context, resolve_tls
from .version import __version__
from .wire import decode_response, encode_request


class Client(ParleyApi):
    """`Client("127.0.0.1:7420", api_key=KEY, organization_id="acme")`.

    Every RPC is a method (`log_turn`, `report_models`, ...) taking keyword arguments and
    returning the generated response message; failures raise `parley.ParleyError`
    subclasses carrying the status code, message and field violations. `timeout` (seconds)
    is each unary call's deadline unless the call passes its own; streams have none unless
    given. `tls=True` (or `ca=PATH`, or PARLEY_TLS=1 / PARLEY_CA) connects with TLS,
    trusting the CA in `ca` or else the system's. Use one Client per process and share it
    between threads.
    """

    def __init__(
        self,
        address: Optional[str] = None,
        *,
        api_key: Optional[str] = None,
        organization_id: Optional[str] = None,
        client_name: str = f"parley-python/{__version__}",
        timeout: float = 30.0,
        connect_timeout: float = 5.0,
        retries: int = 5,
        backoff_base: float = 0.05,
        backoff_cap: float = 2.0,
        tls: Optional[bool] = None,
        ca: Optional[str] = None,
    ) -> None:
        self.host, self.port = parse_address(address)
        use_tls, self.ca = resolve_tls(tls, ca)
        self._tls = client_context(self.ca) if use_tls else None
        self._api_key = resolve_key(api_key)
        self._organization_id = organization_id
        self.client_name = client_name
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.retries = retries
        self._backoff = Backoff(backoff_base, backoff_cap)
        self.counters = ClientCounters()
        self._lock = threading.Lock()  # guards replacing _conn and _closed; held while (re)connecting
        self._conn: Optional[Connection] = None
        self._closed = False

    # -- connection --------------------------------------------------------------------------
    @property
    def welcome(self):
        """The server's Welcome (version, frame limit, in-flight limit, the key's organization)."""
        return self._connection(time.monotonic() + self.connect_timeout).welcome

    def _default_org(self) -> Optional[str]:
        if self._organization_id is not None:
            return self._organization_id
        conn = self._conn
        return conn.welcome.organization_id or None if conn is not None else None

    def _connection(self, deadline: float) -> Connection:
        conn = self._conn
        if conn is not None and conn.usable and not self._closed:
            return conn  # the common case, without the lock
        # Another thread may be reconnecting (with backoff): wait for it, within this deadline.
        if not self._lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
            raise Unavailable(f"no connection to parleyd at {self.host}:{self.port} within the call's deadline "
                              f"(still reconnecting)")
        try:
            return self._connect_locked(deadline)
        finally:
            self._lock.release()

    def _connect_locked(self, deadline: float) -> Connection:
        if self._closed:
            raise Unavailable("the client is closed")
        conn = self._conn
        if conn is not None and conn.usable:
            return conn
        attempt = 0
        while True:
            try:
                conn = Connection(self.host, self.port, api_key=self._api_key, client_name=self.client_name,
                                  connect_timeout=min(self.connect_timeout, max(0.001, deadline - time.monotonic())),
                                  counters=self.counters, tls=self._tls, ca=self.ca)
            except (Unauthenticated, TLSError):
                raise
            except (OSError, Unavailable) as exc:
                delay = self._backoff.delay(attempt)
                attempt += 1
                if attempt > self.retries or time.monotonic() + delay >= deadline:
                    raise Unavailable(f"cannot reach parleyd at {self.host}:{self.port} ({exc}); "
                                      f"is it running, and is the address right?") from exc
                time.sleep(delay)
                continue
            with self.counters.lock:
                self.counters.connects += 1
            self._conn = conn
            return conn

    def _pause_before_retry(self, attempt: int, deadline: float) -> None:
        with self.counters.lock:
            self.counters.retries += 1
        time.sleep(min(self._backoff.delay(attempt), max(0.0, deadline - time.monotonic())))

    # -- calls -------------------------------------------------------------------------------
    def _call(self, method: Method, request: Any, timeout: Optional[float]) -> Any:
        return self._invoke(SPECS[method], request, timeout)

    def call_method(self, method_id: int, request: Message, response_type: Type[Message], *,
                    timeout: Optional[float] = None) -> Message:
        """Calls a unary method by its id: for methods newer than this client. A server
        without the method answers 12 UNIMPLEMENTED (raised as parley.Unimplemented)."""
        spec = MethodSpec(method_id, f"method {method_id}", "", type(request), response_type, False)
        return self._invoke(spec, request, timeout)

    def _invoke(self, spec: MethodSpec, request: Any, timeout: Optional[float]) -> Any:
        method = spec.method
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        attempt = 0
        while True:
            conn = self._connection(deadline)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DeadlineExceeded(f"the deadline of {timeout:.3f} s passed before the call was sent",
                                       method=spec.rpc_name)
            call_id = conn.reserve_ids(1)[0]
            frame = encode_request(call_id, spec, request, timeout=remaining, trace_id=None, idempotency_key=None,
                                   max_frame_size=conn.max_frame_size)
            sink = UnarySink()
            try:
                conn.send_calls([(call_id, frame, sink)])
                outcome = sink.wait(remaining)
            except CallNotAccepted as exc:
                outcome = exc
            if outcome is None:
                conn.cancel(call_id)
                raise DeadlineExceeded(f"no answer within {timeout:.3f} s; the call was cancelled",
                                       method=spec.rpc_name)
            if isinstance(outcome, ParleyError):
                if attempt < self.retries and may_retry(method, outcome) and time.monotonic() < deadline:
                    self._pause_before_retry(attempt, deadline)
                    attempt += 1
                    continue
                raise _for_call(outcome, spec.rpc_name)
            return decode_response(spec, outcome)

    def _stream(self, method: Method, request: Any, timeout: Optional[float]) -> ServerStream:
        return ServerStream(self, SPECS[method], request, timeout)

    def _start_stream(self, spec, request, deadline: Optional[float]) -> Tuple[Connection, int, StreamSink]:
        """Sends a stream's REQUEST (used by ServerStream, which retries through it)."""
        conn = self._connection(deadline if deadline is not None else time.monotonic() + self.connect_timeout)
        call_id = conn.reserve_ids(1)[0]
        remaining = None if deadline is None else max(0.001, deadline - time.monotonic())
        frame = encode_request(call_id, spec, request, timeout=remaining, trace_id=None, idempotency_key=None,
                               max_frame_size=conn.max_frame_size)
        sink = StreamSink()
        conn.send_calls([(call_id, frame, sink)])
        return conn, call_id, sink

    def _run_batch(self, calls: Sequence[Tuple[Method, Any]], timeout: Optional[float]) -> List[Any]:
        """Sends many calls in one write and waits for all of them (a Pipeline's execute).
        Each result is the response message or the ParleyError of that call."""
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        results: List[Any] = [None] * len(calls)
        todo = list(range(len(calls)))
        attempt = 0
        while todo:
            conn = self._connection(deadline)
            remaining = max(0.001, deadline - time.monotonic())
            ids = conn.reserve_ids(len(todo))
            batch = BatchSink(len(todo))
            frames = []
            for slot, (index, call_id) in enumerate(zip(todo, ids)):
                method, request = calls[index]
                try:
                    frame = encode_request(call_id, SPECS[method], request, timeout=remaining, trace_id=None,
                                           idempotency_key=None, max_frame_size=conn.max_frame_size)
                except ParleyError as exc:  # too large: this call fails, the others go
                    batch.slot(slot).fail(exc)
                    continue
                frames.append((call_id, frame, batch.slot(slot)))
            try:
                if frames:
                    conn.send_calls(frames)
            except CallNotAccepted as exc:
                for _, _, slot in frames:
                    slot.fail(exc)
            if not batch.wait(remaining):
                late = DeadlineExceeded(f"no answer within {timeout:.3f} s; the call was cancelled")
                for slot, call_id in enumerate(ids):
                    if batch.outcomes[slot] is None and conn.cancel(call_id):
                        batch.slot(slot).fail(late)
            again = []
            for slot, index in enumerate(todo):
                outcome = batch.outcomes[slot]
                method = calls[index][0]
                spec = SPECS[method]
                if isinstance(outcome, ParleyError):
                    if attempt < self.retries and may_retry(method, outcome) and time.monotonic() < deadline:
                        again.append(index)
                    else:
                        results[index] = _for_call(outcome, spec.rpc_name)
                elif outcome is None:  # its answer was being delivered just as the deadline passed
                    results[index] = DeadlineExceeded("no answer within the deadline", method=spec.rpc_name)
                else:
                    try:
                        results[index] = decode_response(spec, outcome)
                    except ParleyError as exc:
                        results[index] = exc
            if again:
                self._pause_before_retry(attempt, deadline)
                attempt += 1
            todo = again
        return results

    def pipeline(self) -> Pipeline:
        """Queue calls, then `execute()` sends them in one write and returns their results in
        order: `with client.pipeline() as p: p.log_turn(...); ...` runs them at the end."""
        return Pipeline(self)

    def ping(self, *, timeout: float = 5.0) -> float:
        """Round-trip time of a PING to the server, in seconds."""
        return self._connection(time.monotonic() + timeout).ping(timeout)

    # -- life --------------------------------------------------------------------------------
    def close(self, timeout: float = 5.0) -> None:
        """Sends GOAWAY, lets the server answer the calls in flight, and closes. Idempotent."""
        with self._lock:
            self._closed = True
            conn, self._conn = self._conn, None
        if conn is not None:
            conn.close(timeout)

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()



def _for_call(error: ParleyError, rpc_name: str) -> ParleyError:
    """The error as raised to this call's caller: one connection error can end many calls."""
    return error.for_method(rpc_name)
