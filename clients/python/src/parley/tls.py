"""TLS to parleyd (`Client(..., tls=True, ca=PATH)`), with the standard ssl module.

The threaded client reads its socket on one thread while any thread writes to it. OpenSSL
forbids using one SSL object from two threads at once, which a shared `ssl.SSLSocket`
would do, so `TLSSocket` runs the TLS state machine on memory buffers under one lock and
only the plain socket is read and written outside it.
"""
from __future__ import annotations

import os
import socket
import ssl
import threading
from typing import Optional, Tuple

from .errors import Unavailable

_READ_SIZE = 256 * 1024
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


class TLSError(Unavailable):
    """The TLS handshake failed: the server's certificate is not trusted, names another host,
    or the server does not speak TLS. Retrying does not help; the message says what to change."""


def resolve_tls(tls: Optional[bool], ca: Optional[str]) -> Tuple[bool, Optional[str]]:
    """Arguments first, then PARLEY_TLS / PARLEY_CA (as the CLI reads them). A CA implies TLS."""
    ca = ca or os.environ.get("PARLEY_CA") or None
    if tls is None:
        text = os.environ.get("PARLEY_TLS", "").strip().lower()
        if text not in _TRUE | _FALSE:
            raise ValueError(f"PARLEY_TLS must be 1 or 0, not {text!r}")
        tls = text in _TRUE
    return bool(tls or ca), ca


def client_context(ca: Optional[str]) -> ssl.SSLContext:
    """Full verification against `ca` (a PEM file), or the system's trust roots without one."""
    try:
        context = ssl.create_default_context(cafile=ca)
    except (OSError, ssl.SSLError) as exc:
        raise TLSError(f"the CA file {ca} is not a readable PEM certificate: {exc}") from exc
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def describe_failure(exc: BaseException, host: str, port: int, ca: Optional[str]) -> TLSError:
    trusted = f"the CA in {ca}" if ca else "the system's trust roots"
    text = str(exc)
    if isinstance(exc, ssl.SSLCertVerificationError):
        if "match" in text or "mismatch" in text:
            reason = f"the server's certificate does not name {host}"
        else:
            reason = f"the server's certificate is not signed by {trusted}; pass ca= with the CA that signed it"
    elif "WRONG_VERSION_NUMBER" in text or "record layer failure" in text or "PACKET_LENGTH" in text:
        reason = "the server did not answer in TLS; is parleyd started with --tls-cert and --tls-key?"
    else:
        reason = "the TLS handshake failed"
    return TLSError(f"{host}:{port}: {reason} ({text})")


class TLSSocket:
    """The subset of a socket the connection uses (sendall, recv, settimeout, setsockopt,
    shutdown, close), encrypted. Safe for one reader and many writers at a time."""

    def __init__(self, sock: socket.socket, context: ssl.SSLContext, host: str) -> None:
        self._sock = sock
        self._incoming = ssl.MemoryBIO()
        self._outgoing = ssl.MemoryBIO()
        # SNI carries names only; ssl checks an address against the certificate's IP entries.
        self._tls = context.wrap_bio(self._incoming, self._outgoing, server_hostname=host)
        self._state = threading.Lock()  # guards _tls and both buffers
        self._send = threading.Lock()   # keeps records in order on the wire; taken before _state
        self._handshake()

    def _handshake(self) -> None:
        while True:
            try:
                with self._state:
                    self._tls.do_handshake()
                self._flush()
                return
            except ssl.SSLWantReadError:
                self._flush()
                if not self._fill():
                    raise ssl.SSLError("the server closed the connection during the TLS handshake")

    def _flush(self) -> None:
        with self._send:
            with self._state:
                data = self._outgoing.read()
            if data:
                self._sock.sendall(data)

    def _fill(self) -> bool:
        raw = self._sock.recv(_READ_SIZE)
        if not raw:
            return False
        with self._state:
            self._incoming.write(raw)
        return True

    def sendall(self, data: bytes) -> None:
        with self._send:
            with self._state:
                self._tls.write(data)
                out = self._outgoing.read()
            self._sock.sendall(out)

    def recv(self, size: int) -> bytes:
        while True:
            try:
                with self._state:
                    data = self._tls.read(size)
                    pending = self._outgoing.pending
            except ssl.SSLWantReadError:
                if not self._fill():
                    return b""
                continue
            except ssl.SSLZeroReturnError:
                return b""
            if pending:
                self._flush()  # a TLS 1.3 key update asks for an answer
            return data

    def settimeout(self, value: Optional[float]) -> None:
        self._sock.settimeout(value)

    def setsockopt(self, *args) -> None:
        self._sock.setsockopt(*args)

    def shutdown(self, how: int) -> None:
        self._sock.shutdown(how)

    def close(self) -> None:
        self._sock.close()
