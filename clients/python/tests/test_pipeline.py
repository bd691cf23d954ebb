"""Pipelines: many calls in one write, answers in order, failures in their places."""
from __future__ import annotations

import pytest

import parley


def test_answers_come_back_in_order_with_failures_in_place(client) -> None:
    pipe = client.pipeline()
    for n in range(300):
        pipe.log_turn(turn_id=f"pl-{n}" if n != 7 else "bad id", session_id=f"s-{n % 3}", input_tokens=n)
    pipe.get_turn("pl-0")
    assert len(pipe) == 301
    results = pipe.execute(raise_on_error=False)
    assert isinstance(results[7], parley.InvalidArgument) and results[7].fields == ("turn_id",)
    assert [r.turn.turn_id for i, r in enumerate(results[:300]) if i != 7] == [f"pl-{n}" for n in range(300) if n != 7]
    assert results[300].tokens.input == 0
    assert len(pipe) == 0  # execute empties it


def test_the_first_failure_raises_by_default(client) -> None:
    pipe = client.pipeline()
    pipe.server_info()
    pipe.get_device("nobody")
    with pytest.raises(parley.NotFound):
        pipe.execute()


def test_streams_cannot_be_pipelined(client) -> None:
    with pytest.raises(TypeError, match="stream"):
        client.pipeline().check()


def test_an_oversized_call_fails_alone(client) -> None:
    pipe = client.pipeline()
    pipe.log_turn(turn_id="ok-1", session_id="s")
    pipe.log_turn(turn_id="huge", session_id="s", user_message="x" * (5 * 1024 * 1024))
    pipe.log_turn(turn_id="ok-2", session_id="s")
    first, huge, last = pipe.execute(raise_on_error=False)
    assert isinstance(huge, parley.ResourceExhausted)
    assert (first.turn.turn_id, last.turn.turn_id) == ("ok-1", "ok-2")
