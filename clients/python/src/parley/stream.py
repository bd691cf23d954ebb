"""A server stream as an iterator: `for progress in client.check(): ...`.

Breaking out of the loop, `close()`, or leaving a `with` block cancels the call (CANCEL).
A stream the server did not accept (GOAWAY) or lost before its first message is restarted
on a new connection; after that, an error ends the iteration with the exception.
"""
from __future__ import annotations

import time
from typing import Any, Iterator, Optional

from .errors import DeadlineExceeded, ParleyError
from .methods import MethodSpec
from .retry import may_retry
from .wire import decode_response


class ServerStream(Iterator[Any]):
    def __init__(self, client, spec: MethodSpec, request: Any, timeout: Optional[float]) -> None:
        self._client = client
        self._spec = spec
        self._request = request
        self._timeout = timeout
        self._deadline = None if timeout is None else time.monotonic() + timeout
        self._conn = None
        self._call_id = 0
        self._sink = None
        self._received = 0
        self._attempt = 0
        self._done = False

    def __iter__(self) -> "ServerStream":
        return self

    def __next__(self) -> Any:
        while True:
            if self._done:
                raise StopIteration
            if self._sink is None:
                try:
                    self._conn, self._call_id, self._sink = self._client._start_stream(
                        self._spec, self._request, self._deadline)
                except ParleyError as exc:
                    self._retry_or_raise(exc)
                    continue
            remaining = None if self._deadline is None else self._deadline - time.monotonic()
            outcome = self._sink.next(None if remaining is None else max(0.0, remaining))
            if outcome is None:
                self.close()
                raise DeadlineExceeded(f"the stream did not finish within {self._timeout:.3f} s; it was cancelled",
                                       method=self._spec.rpc_name)
            if isinstance(outcome, ParleyError):
                self._retry_or_raise(outcome)
                continue
            if not outcome.more:
                self._done = True
                decode_status_only(self._spec, outcome)
                raise StopIteration
            self._received += 1
            return decode_response(self._spec, outcome)

    def _retry_or_raise(self, error: ParleyError) -> None:
        self._sink = None
        retryable = self._received == 0 and may_retry(self._spec.method, error) \
            and self._attempt < self._client.retries
        if not retryable:
            self._done = True
            raise error.for_method(self._spec.rpc_name)
        self._client._pause_before_retry(self._attempt, self._deadline or time.monotonic() + 60)
        self._attempt += 1

    def close(self) -> None:
        """Stops the stream: the server is told to stop the work (CANCEL)."""
        if not self._done and self._conn is not None:
            self._conn.cancel(self._call_id)
        self._done = True

    def __enter__(self) -> "ServerStream":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()


def decode_status_only(spec: MethodSpec, frame) -> None:
    """The final frame of a stream: status 0 with an empty body, or the error that ended it."""
    if frame.code != 0:
        decode_response(spec, frame)  # raises the error
