"""Many calls in one write, answered together: the way to send turns at a high rate from one
thread (the server works on up to max_in_flight_calls of them at once)."""
from __future__ import annotations

from typing import Any, List, Optional, Tuple

from .api import ParleyApi
from .errors import ParleyError
from .methods import Method


class Pipeline(ParleyApi):
    """`p = client.pipeline(); p.log_turn(...); p.log_turn(...); results = p.execute()`.

    Calls return None while queued; `execute()` returns their results in order. With
    `raise_on_error=False` a failed call's place holds its ParleyError instead of raising the
    first one. Streams cannot be pipelined."""

    def __init__(self, client) -> None:
        self._client = client
        self._calls: List[Tuple[Method, Any]] = []

    def _call(self, method: Method, request: Any, timeout: Optional[float]) -> None:
        self._calls.append((method, request))

    def _stream(self, method: Method, request: Any, timeout: Optional[float]) -> Any:
        raise TypeError(f"{method.name.lower()} is a stream; call it on the client, not in a pipeline")

    def _default_org(self) -> Optional[str]:
        return self._client._default_org()

    def __len__(self) -> int:
        return len(self._calls)

    def execute(self, *, timeout: Optional[float] = None, raise_on_error: bool = True) -> List[Any]:
        calls, self._calls = self._calls, []
        if not calls:
            return []
        results = self._client._run_batch(calls, timeout)
        if raise_on_error:
            for result in results:
                if isinstance(result, ParleyError):
                    raise result
        return results

    def __enter__(self) -> "Pipeline":
        return self

    def __exit__(self, exc_type, *rest) -> None:
        if exc_type is None:
            self.execute()
