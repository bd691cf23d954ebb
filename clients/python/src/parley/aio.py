"""The asyncio client: the same methods as Client, as coroutines (streams as async
iterators), for FastAPI and other asyncio code. One connection per client, many calls at
once on it; reconnect, retries and deadlines as in Client."""
from __future__ import annotations

import asyncio
import itertools
import logging
import socket
import ssl
import time
from typing import Any, Dict, Optional, Type

from google.protobuf.message import Message

from .address import parse_address, resolve_key
from .api import ParleyApi
from .errors import (
    CallNotAccepted, ConnectionLost, DeadlineExceeded, ParleyError, ProtocolError, Unauthenticated, Unavailable,
    error_from_meta,
)
from .frame import DEFAULT_MAX_FRAME, Frame, FrameDecoder, FrameType, encode_frame
from .methods import SPECS, Method, MethodSpec
from .retry import Backoff, may_retry
from .counters import ClientCounters
from .tls import TLSError, client_context, describe_failure, resolve_tls
from .stream import decode_status_only
from .version import __version__
from .wire import cancel_frame, decode_response, decode_welcome, encode_hello, encode_request, goaway_frame, ping_body

log = logging.getLogger("parley")


class AsyncConnection:
    """One connection on the running event loop; a reader task delivers the answers."""

    def __init__(self, host: str, port: int, counters: ClientCounters,
                 tls: Optional[ssl.SSLContext] = None, ca: Optional[str] = None) -> None:
        self.host, self.port, self.counters = host, port, counters
        self._tls, self._ca = tls, ca
        self._ids = itertools.count(1)
        self._pending: Dict[int, Any] = {}   # call id -> Future (unary) or Queue (stream)
        self._pings: Dict[bytes, asyncio.Future] = {}
        self._draining = False
        self._closed_error: Optional[ParleyError] = None
        self.welcome = None
        self.max_frame_size = DEFAULT_MAX_FRAME

    async def open(self, api_key: str, client_name: str, timeout: float) -> None:
        # asyncio's TLS transport does its own locking; SNI is left out for an address.
        connect = asyncio.open_connection(self.host, self.port, ssl=self._tls,
                                          server_hostname=self.host if self._tls is not None else None)
        try:
            self._reader, self._writer = await asyncio.wait_for(connect, timeout)
        except (ssl.SSLError, ssl.CertificateError) as exc:
            raise describe_failure(exc, self.host, self.port, self._ca) from exc
        sock = self._writer.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            self._writer.write(encode_hello(client_name, api_key))
            self.welcome = await asyncio.wait_for(self._read_welcome(), timeout)
        except BaseException:
            self._writer.close()
            raise
        self.max_frame_size = self.welcome.max_frame_size or DEFAULT_MAX_FRAME
        self._decoder = FrameDecoder(self.max_frame_size)
        self._task = asyncio.get_running_loop().create_task(self._read_loop())

    async def _read_welcome(self):
        decoder = FrameDecoder(DEFAULT_MAX_FRAME)
        while True:
            data = await self._reader.read(65536)
            if not data:
                raise Unavailable(f"{self.host}:{self.port} closed the connection during HELLO")
            for frame in decoder.feed(data):
                if frame.type == FrameType.PING:
                    self._writer.write(encode_frame(FrameType.PONG, 0, 0, frame.body))
                    continue
                return decode_welcome(frame)

    @property
    def usable(self) -> bool:
        return not self._draining and self._closed_error is None

    def _count(self, counter: str, amount: int) -> None:
        with self.counters.lock:
            setattr(self.counters, counter, getattr(self.counters, counter) + amount)

    def send(self, spec: MethodSpec, request: Any, timeout: Optional[float], receiver: Any) -> int:
        if not self.usable:
            raise CallNotAccepted(self._closed_error.message if self._closed_error else "the connection is closing")
        call_id = next(self._ids)
        frame = encode_request(call_id, spec, request, timeout=timeout, trace_id=None, idempotency_key=None,
                               max_frame_size=self.max_frame_size)
        self._pending[call_id] = receiver
        self._writer.write(frame)
        self._count("requests_sent", 1)
        return call_id

    async def drain(self) -> None:
        """Waits while the socket's buffer is full (the server applies back-pressure)."""
        try:
            await self._writer.drain()
        except OSError as exc:
            self._shutdown(ConnectionLost(f"writing to {self.host}:{self.port} failed: {exc}"))

    def cancel(self, call_id: int) -> bool:
        if self._pending.pop(call_id, None) is None:
            return False
        if self._closed_error is None:
            self._writer.write(cancel_frame(call_id))
            self._count("cancels_sent", 1)
        return True

    async def ping(self, timeout: float) -> float:
        body = ping_body()
        waiter = asyncio.get_running_loop().create_future()
        self._pings[body] = waiter
        started = time.perf_counter()
        try:
            self._writer.write(encode_frame(FrameType.PING, 0, 0, body))
            self._count("pings_sent", 1)
            await asyncio.wait_for(waiter, timeout)
            return time.perf_counter() - started
        except asyncio.TimeoutError:
            raise DeadlineExceeded(f"no PONG within {timeout:.3f} s", method="PING") from None
        finally:
            self._pings.pop(body, None)

    async def close(self, timeout: float) -> None:
        if self.usable:
            self._draining = True
            self._writer.write(goaway_frame())
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout)
        except asyncio.TimeoutError:
            self._shutdown(Unavailable("the client closed the connection"))

    async def _read_loop(self) -> None:
        try:
            while True:
                data = await self._reader.read(256 * 1024)
                if not data:
                    error: ParleyError = ConnectionLost(f"{self.host}:{self.port} closed the connection")
                    break
                for frame in self._decoder.feed(data):
                    self._dispatch(frame)
        except ProtocolError as exc:
            log.error("parley: closing the connection to %s:%s: %s", self.host, self.port, exc)
            error = ConnectionLost(f"protocol error from the server: {exc.message}")
        except OSError as exc:
            error = ConnectionLost(f"reading from {self.host}:{self.port} failed: {exc}")
        self._shutdown(error)

    def _dispatch(self, frame: Frame) -> None:
        if frame.type == FrameType.RESPONSE:
            receiver = self._pending.get(frame.call_id)
            if receiver is None:
                return  # cancelled or timed out here; the answer is late
            self._count("responses_received", 1)
            if isinstance(receiver, asyncio.Queue):
                receiver.put_nowait(frame)
                if not frame.more:
                    del self._pending[frame.call_id]
            else:
                del self._pending[frame.call_id]
                if not receiver.done():
                    receiver.set_result(frame)
        elif frame.type == FrameType.PONG:
            waiter = self._pings.get(frame.body)
            if waiter is not None and not waiter.done():
                self._count("pongs_received", 1)
                waiter.set_result(None)
        elif frame.type == FrameType.PING:
            self._writer.write(encode_frame(FrameType.PONG, 0, 0, frame.body))
        elif frame.type == FrameType.GOAWAY:
            self._count("goaways_received", 1)
            reason = error_from_meta(frame.code, frame.meta, method="GOAWAY")
            log.info("parley: %s:%s sent GOAWAY (%s); calls after #%d will be retried", self.host, self.port,
                     reason, frame.call_id)
            self._draining = True
            for call_id in [cid for cid in self._pending if cid > frame.call_id]:
                _fail(self._pending.pop(call_id),
                      CallNotAccepted(f"the server went away before accepting the call ({reason.message})"))
        else:
            raise ProtocolError(f"the server sent a frame of type {FrameType(frame.type).name} mid-connection")

    def _shutdown(self, error: ParleyError) -> None:
        if self._closed_error is None:
            self._closed_error = error
        pending, self._pending = self._pending, {}
        for receiver in pending.values():
            _fail(receiver, error)
        for waiter in self._pings.values():
            if not waiter.done():
                waiter.set_exception(error)
        self._writer.close()


def _fail(receiver: Any, error: ParleyError) -> None:
    if isinstance(receiver, asyncio.Queue):
        receiver.put_nowait(error)
    elif not receiver.done():
        receiver.set_result(error)


class AsyncClient(ParleyApi):
    """`async with AsyncClient("127.0.0.1:7420", api_key=KEY) as client: await client.log_turn(...)`.

    The arguments are Client's. Create it (or at least use it) inside one event loop."""

    def __init__(
        self,
        address: Optional[str] = None,
        *,
        api_key: Optional[str] = None,
        organization_id: Optional[str] = None,
        client_name: str = f"parley-python-asyncio/{__version__}",
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
        self._conn: Optional[AsyncConnection] = None
        self._connecting: Optional[asyncio.Lock] = None
        self._closed = False

    def _default_org(self) -> Optional[str]:
        if self._organization_id is not None:
            return self._organization_id
        conn = self._conn
        return conn.welcome.organization_id or None if conn is not None and conn.welcome else None

    async def welcome(self):
        return (await self._connection(time.monotonic() + self.connect_timeout)).welcome

    async def _connection(self, deadline: float) -> AsyncConnection:
        conn = self._conn
        if conn is not None and conn.usable:
            return conn
        if self._connecting is None:
            self._connecting = asyncio.Lock()
        async with self._connecting:
            if self._closed:
                raise Unavailable("the client is closed")
            conn = self._conn
            if conn is not None and conn.usable:
                return conn
            attempt = 0
            while True:
                conn = AsyncConnection(self.host, self.port, self.counters, self._tls, self.ca)
                try:
                    await conn.open(self._api_key, self.client_name,
                                    min(self.connect_timeout, max(0.001, deadline - time.monotonic())))
                except (Unauthenticated, TLSError):
                    raise
                except (OSError, Unavailable, asyncio.TimeoutError) as exc:
                    delay = self._backoff.delay(attempt)
                    attempt += 1
                    if attempt > self.retries or time.monotonic() + delay >= deadline:
                        raise Unavailable(f"cannot reach parleyd at {self.host}:{self.port} ({exc!r}); "
                                          f"is it running, and is the address right?") from exc
                    await asyncio.sleep(delay)
                    continue
                with self.counters.lock:
                    self.counters.connects += 1
                self._conn = conn
                return conn

    async def _pause_before_retry(self, attempt: int, deadline: float) -> None:
        with self.counters.lock:
            self.counters.retries += 1
        await asyncio.sleep(min(self._backoff.delay(attempt), max(0.0, deadline - time.monotonic())))

    async def _call(self, method: Method, request: Any, timeout: Optional[float]) -> Any:
        return await self._invoke(SPECS[method], request, timeout)

    async def call_method(self, method_id: int, request: Message, response_type: Type[Message], *,
                    timeout: Optional[float] = None) -> Message:
        """Calls a unary method by its id: for methods newer than this client. A server
        without the method answers 12 UNIMPLEMENTED (raised as parley.Unimplemented)."""
        spec = MethodSpec(method_id, f"method {method_id}", "", type(request), response_type, False)
        return await self._invoke(spec, request, timeout)

    async def _invoke(self, spec: MethodSpec, request: Any, timeout: Optional[float]) -> Any:
        method = spec.method
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        attempt = 0
        while True:
            conn = await self._connection(deadline)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DeadlineExceeded(f"the deadline of {timeout:.3f} s passed before the call was sent",
                                       method=spec.rpc_name)
            answer = asyncio.get_running_loop().create_future()
            try:
                call_id = conn.send(spec, request, remaining, answer)
                await conn.drain()
                done, _ = await asyncio.wait((answer,), timeout=max(0.0, deadline - time.monotonic()))
                outcome = answer.result() if done else None
            except CallNotAccepted as exc:
                outcome = exc
            except asyncio.CancelledError:
                conn.cancel(call_id)  # the caller's task was cancelled: so is the call
                raise
            if outcome is None:
                conn.cancel(call_id)
                raise DeadlineExceeded(f"no answer within {timeout:.3f} s; the call was cancelled",
                                       method=spec.rpc_name)
            if isinstance(outcome, ParleyError):
                if attempt < self.retries and may_retry(method, outcome) and time.monotonic() < deadline:
                    await self._pause_before_retry(attempt, deadline)
                    attempt += 1
                    continue
                raise outcome.for_method(spec.rpc_name)
            return decode_response(spec, outcome)

    def _stream(self, method: Method, request: Any, timeout: Optional[float]) -> "AsyncServerStream":
        return AsyncServerStream(self, SPECS[method], request, timeout)

    async def ping(self, *, timeout: float = 5.0) -> float:
        return await (await self._connection(time.monotonic() + timeout)).ping(timeout)

    async def close(self, timeout: float = 5.0) -> None:
        self._closed = True
        conn, self._conn = self._conn, None
        if conn is not None:
            await conn.close(timeout)

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self.close()


class AsyncServerStream:
    """`async for item in client.export_turns(...)`; `await stream.aclose()` cancels it."""

    def __init__(self, client: AsyncClient, spec: MethodSpec, request: Any, timeout: Optional[float]) -> None:
        self._client, self._spec, self._request, self._timeout = client, spec, request, timeout
        self._deadline = None if timeout is None else time.monotonic() + timeout
        self._conn: Optional[AsyncConnection] = None
        self._queue: Optional[asyncio.Queue] = None
        self._call_id = 0
        self._received = 0
        self._attempt = 0
        self._done = False

    def __aiter__(self) -> "AsyncServerStream":
        return self

    async def __anext__(self) -> Any:
        while True:
            if self._done:
                raise StopAsyncIteration
            if self._queue is None:
                try:
                    deadline = self._deadline if self._deadline is not None else time.monotonic() + 60
                    self._conn = await self._client._connection(deadline)
                    self._queue = asyncio.Queue()
                    remaining = None if self._deadline is None else max(0.001, self._deadline - time.monotonic())
                    self._call_id = self._conn.send(self._spec, self._request, remaining, self._queue)
                    await self._conn.drain()
                except ParleyError as exc:
                    await self._retry_or_raise(exc)
                    continue
            remaining = None if self._deadline is None else max(0.0, self._deadline - time.monotonic())
            try:
                outcome = await asyncio.wait_for(self._queue.get(), remaining)
            except asyncio.TimeoutError:
                await self.aclose()
                raise DeadlineExceeded(f"the stream did not finish within {self._timeout:.3f} s; it was cancelled",
                                       method=self._spec.rpc_name) from None
            if isinstance(outcome, ParleyError):
                await self._retry_or_raise(outcome)
                continue
            if not outcome.more:
                self._done = True
                decode_status_only(self._spec, outcome)
                raise StopAsyncIteration
            self._received += 1
            return decode_response(self._spec, outcome)

    async def _retry_or_raise(self, error: ParleyError) -> None:
        self._queue = None
        if self._received > 0 or not may_retry(self._spec.method, error) or self._attempt >= self._client.retries:
            self._done = True
            raise error.for_method(self._spec.rpc_name)
        await self._client._pause_before_retry(self._attempt, self._deadline or time.monotonic() + 60)
        self._attempt += 1

    async def aclose(self) -> None:
        if not self._done and self._conn is not None:
            self._conn.cancel(self._call_id)
        self._done = True
