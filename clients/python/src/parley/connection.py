"""One TCP connection to parleyd, shared by many threads: HELLO, call multiplexing, CANCEL,
PING, GOAWAY. A reader thread delivers each RESPONSE to the call that waits for it.

Calls that the server did not accept when it sent GOAWAY fail with CallNotAccepted, calls in
flight when the connection breaks with ConnectionLost; the Client decides what to retry.
"""
from __future__ import annotations

import itertools
import logging
import socket
import ssl
import threading
import time
from typing import Dict, List, Optional, Sequence, Tuple

from .errors import (
    CallNotAccepted, ConnectionLost, DeadlineExceeded, ParleyError, ProtocolError, Unavailable, error_from_meta,
)
from .frame import DEFAULT_MAX_FRAME, Frame, FrameDecoder, FrameType, encode_frame
from .counters import ClientCounters
from .tls import TLSSocket, describe_failure
from .wire import cancel_frame, decode_welcome, encode_hello, goaway_frame, ping_body

log = logging.getLogger("parley")

_READ_SIZE = 256 * 1024


class Connection:
    def __init__(self, host: str, port: int, *, api_key: str, client_name: str, connect_timeout: float,
                 counters: ClientCounters, tls: Optional[ssl.SSLContext] = None, ca: Optional[str] = None) -> None:
        self.host, self.port = host, port
        self.counters = counters
        plain = socket.create_connection((host, port), timeout=connect_timeout)
        self._sock = plain
        try:
            plain.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if tls is not None:
                try:
                    self._sock = TLSSocket(plain, tls, host)
                except (ssl.SSLError, ssl.CertificateError) as exc:
                    raise describe_failure(exc, host, port, ca) from exc
            self.welcome = self._handshake(api_key, client_name)
        except BaseException:
            plain.close()
            raise
        self._sock.settimeout(None)
        self.max_frame_size = self.welcome.max_frame_size or DEFAULT_MAX_FRAME
        self._decoder = FrameDecoder(self.max_frame_size)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()          # guards _pending, _draining, _closed_error
        self._write_lock = threading.Lock()    # one frame at a time on the socket
        self._pending: Dict[int, object] = {}
        self._pings: Dict[bytes, threading.Event] = {}
        self._draining = False                 # GOAWAY seen or sent: no new calls
        self._closed_error: Optional[ParleyError] = None
        self._closed = threading.Event()
        self._reader = threading.Thread(target=self._read_loop, name=f"parley-reader-{host}:{port}", daemon=True)
        self._reader.start()

    # -- handshake -------------------------------------------------------------------------
    def _handshake(self, api_key: str, client_name: str):
        self._sock.sendall(encode_hello(client_name, api_key))
        decoder = FrameDecoder(DEFAULT_MAX_FRAME)
        while True:
            data = self._sock.recv(65536)
            if not data:
                raise Unavailable(f"{self.host}:{self.port} closed the connection during HELLO")
            frames = decoder.feed(data)
            for frame in frames:
                if frame.type == FrameType.PING:
                    self._sock.sendall(encode_frame(FrameType.PONG, 0, 0, frame.body))
                    continue
                return decode_welcome(frame)

    # -- state -----------------------------------------------------------------------------
    @property
    def usable(self) -> bool:
        """False once GOAWAY arrived or was sent, or the socket broke: open a new one."""
        return not self._draining and self._closed_error is None

    # -- calls -----------------------------------------------------------------------------
    def reserve_ids(self, count: int) -> List[int]:
        with self._lock:
            return [next(self._ids) for _ in range(count)]

    def send_calls(self, calls: Sequence[Tuple[int, bytes, object]]) -> None:
        """Registers each (call id, REQUEST frame, sink) and writes all frames in one write."""
        with self._lock:
            if self._closed_error is not None or self._draining:
                raise CallNotAccepted(self._refusal())
            for call_id, _, sink in calls:
                self._pending[call_id] = sink
        data = calls[0][1] if len(calls) == 1 else b"".join(frame for _, frame, _ in calls)
        try:
            with self._write_lock:
                self._sock.sendall(data)
        except OSError as exc:
            self._shutdown(ConnectionLost(f"writing to {self.host}:{self.port} failed: {exc}"))
            return  # the sinks got the error
        self._count('requests_sent', len(calls))

    def cancel(self, call_id: int) -> bool:
        """Forgets the call and tells the server to stop it; False if it had already ended."""
        with self._lock:
            sink = self._pending.pop(call_id, None)
        if sink is None:
            return False
        if self._closed_error is None:
            try:
                with self._write_lock:
                    self._sock.sendall(cancel_frame(call_id))
                self._count('cancels_sent', 1)
            except OSError:
                pass  # the connection is breaking; the reader reports that
        return True

    def ping(self, timeout: float) -> float:
        """Round-trip time of a PING, in seconds."""
        body = ping_body()
        event = threading.Event()
        with self._lock:
            if self._closed_error is not None:
                raise self._closed_error
            self._pings[body] = event
        started = time.perf_counter()
        try:
            with self._write_lock:
                self._sock.sendall(encode_frame(FrameType.PING, 0, 0, body))
            self._count('pings_sent', 1)
            if not event.wait(timeout):
                raise DeadlineExceeded(f"no PONG within {timeout:.3f} s", method="PING")
            if self._closed_error is not None and body in self._pings:
                raise self._closed_error
            return time.perf_counter() - started
        finally:
            with self._lock:
                self._pings.pop(body, None)

    def close(self, timeout: float = 5.0) -> None:
        """Leaves politely: GOAWAY, then the server answers outstanding calls and closes."""
        with self._lock:
            already = self._draining or self._closed_error is not None
            self._draining = True
        if not already:
            try:
                with self._write_lock:
                    self._sock.sendall(goaway_frame())
            except OSError:
                pass
        if not self._closed.wait(timeout):
            self._shutdown(Unavailable("the client closed the connection"))
        self._reader.join(timeout)

    def _count(self, counter: str, amount: int) -> None:
        with self.counters.lock:
            setattr(self.counters, counter, getattr(self.counters, counter) + amount)

    # -- reader ----------------------------------------------------------------------------
    def _read_loop(self) -> None:
        error: ParleyError
        try:
            while True:
                data = self._sock.recv(_READ_SIZE)
                if not data:
                    error = ConnectionLost(f"{self.host}:{self.port} closed the connection")
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
        ftype = frame.type
        if ftype == FrameType.RESPONSE:
            with self._lock:
                sink = self._pending.get(frame.call_id)
                if sink is not None and not frame.more:
                    del self._pending[frame.call_id]
            if sink is not None:  # else: a call cancelled or timed out here; its answer is late
                self._count('responses_received', 1)
                sink.deliver(frame)
        elif ftype == FrameType.PONG:
            event = self._pings.get(frame.body)
            if event is not None:
                self._count('pongs_received', 1)
                event.set()
        elif ftype == FrameType.PING:
            with self._write_lock:
                self._sock.sendall(encode_frame(FrameType.PONG, 0, 0, frame.body))
        elif ftype == FrameType.GOAWAY:
            self._on_goaway(frame)
        else:
            raise ProtocolError(f"the server sent a frame of type {FrameType(ftype).name} mid-connection")

    def _on_goaway(self, frame: Frame) -> None:
        self._count('goaways_received', 1)
        reason = error_from_meta(frame.code, frame.meta, method="GOAWAY")
        log.info("parley: %s:%s sent GOAWAY (%s); calls after #%d will be retried", self.host, self.port,
                 reason, frame.call_id)
        with self._lock:
            self._draining = True
            refused = [(cid, s) for cid, s in self._pending.items() if cid > frame.call_id]
            for cid, _ in refused:
                del self._pending[cid]
        for _, sink in refused:
            sink.fail(CallNotAccepted(f"the server went away before accepting the call ({reason.message})"))

    def _refusal(self) -> str:
        if self._closed_error is not None:
            return self._closed_error.message
        return "the connection is closing (GOAWAY)"

    def _shutdown(self, error: ParleyError) -> None:
        with self._lock:
            if self._closed_error is None:
                self._closed_error = error
            pending = list(self._pending.values())
            self._pending.clear()
            pings = list(self._pings.values())
        for sink in pending:
            sink.fail(error)
        for event in pings:
            event.set()
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
        self._closed.set()
