"""What bad input and a going-away server look like from Python: typed errors with the
status code, the message and the fields; deadlines that send CANCEL; GOAWAY mid-stream."""
from __future__ import annotations

import asyncio
import signal
import threading
import time

import pytest

import parley
from parley import StatusCode


def test_a_bad_key_is_unauthenticated(server) -> None:
    with parley.Client(server.address, api_key="pk_wrong", retries=0) as c:
        with pytest.raises(parley.Unauthenticated) as caught:
            c.server_info()
    assert caught.value.code == StatusCode.UNAUTHENTICATED == 16
    assert caught.value.message


def test_an_unknown_method_is_unimplemented_and_the_connection_stays(client) -> None:
    with pytest.raises(parley.Unimplemented) as caught:
        client.call_method(999, parley.pb.Empty(), parley.pb.Empty)
    assert caught.value.code == 12
    assert client.server_info().protocol_version == 1
    assert client.counters.snapshot().connects == 1


def test_a_bad_field_is_invalid_argument_naming_it(client) -> None:
    with pytest.raises(parley.InvalidArgument) as caught:
        client.log_turn(turn_id="t-neg", session_id="s-1", input_tokens=-5, output_tokens=1)
    error = caught.value
    assert error.code == 3 and error.method == "LogTurn"
    assert any(v.field.endswith("tokens.input") for v in error.violations), error.violations
    assert "tokens.input" in str(error)


def test_the_frame_limit_comes_from_welcome(make_server) -> None:
    daemon = make_server("--max-frame-size", "65536")
    with daemon.client(organization_id="limits") as c:
        assert c.welcome.max_frame_size == 65536
        with pytest.raises(parley.ResourceExhausted, match="65536"):
            c.log_turn(turn_id="t-big", session_id="s-1", user_message="x" * 70_000)
        assert c.log_turn(turn_id="t-small", session_id="s-1", user_message="x" * 30_000).turn.turn_id == "t-small"
        assert c.counters.snapshot().connects == 1  # refused locally: the connection stayed


def test_a_deadline_raises_4_and_sends_cancel(make_server) -> None:
    # One call in flight per connection: a later call's frame waits unread behind a slow
    # batch, so only the client's clock can end it, and it must tell the server (CANCEL).
    daemon = make_server("--max-in-flight", "1")
    slow_batch = [{"turn_id": f"slow-{i}", "session_id": f"s-{i % 20}", "user_message": "q" * 200,
                   "ai_response": "a" * 400} for i in range(1000)]
    with daemon.client(organization_id="deadline") as c:
        slow = threading.Thread(target=c.log_turns, args=(slow_batch,), kwargs={"timeout": 60})
        slow.start()
        time.sleep(0.05)
        started = time.monotonic()
        with pytest.raises(parley.DeadlineExceeded) as caught:
            c.server_info(timeout=0.2)
        assert caught.value.code == 4
        assert 0.2 <= time.monotonic() - started < 1.0
        assert c.counters.snapshot().cancels_sent == 1
        with pytest.raises(parley.DeadlineExceeded):
            for _ in c.export_turns(timeout=0.2):
                pass
        assert c.counters.snapshot().cancels_sent == 2
        slow.join(60)
        assert c.server_info().version  # the late answers to the cancelled calls are ignored

    async def on_asyncio() -> None:
        async with parley.AsyncClient(daemon.address, api_key=daemon.key, organization_id="deadline-aio") as a:
            batch = [dict(t, turn_id="aio-" + t["turn_id"]) for t in slow_batch]
            slow_call = asyncio.ensure_future(a.log_turns(batch, timeout=60))
            await asyncio.sleep(0.05)
            try:
                await a.server_info(timeout=0.2)
            except parley.DeadlineExceeded as exc:
                assert exc.code == 4
            else:
                raise AssertionError("the deadline did not fire")
            assert a.counters.snapshot().cancels_sent == 1
            assert len((await slow_call).items) == 1000

    asyncio.run(on_asyncio())


def test_a_tiny_stream_deadline_is_4(client) -> None:
    client.log_turns([{"turn_id": f"e-{i}", "session_id": "s-e"} for i in range(50)])
    with pytest.raises(parley.DeadlineExceeded) as caught:
        for _ in client.export_turns(timeout=0.0001):
            pass
    assert caught.value.code == 4  # the client's clock or the server's, whichever came first


def test_goaway_mid_stream(make_server) -> None:
    daemon = make_server()
    with daemon.client(organization_id="goaway", retries=2, backoff_cap=0.2) as c:
        for part in range(3):
            c.log_turns([{"turn_id": f"g-{part}-{i}", "session_id": f"s-{i % 10}", "ai_response": "x" * 300}
                         for i in range(500)], timeout=60)
        stream = c.export_turns()
        first = next(stream)
        assert len(first.turns) > 0
        daemon.signal(signal.SIGTERM)  # parleyd sends GOAWAY 14, answers accepted calls, exits
        rest = 0
        ended_by = None
        try:
            for batch in stream:
                rest += len(batch.turns)
        except parley.Unavailable as exc:
            ended_by = exc
        assert daemon.wait() == 0
        # Either the accepted stream was finished before the close, or it ended with 14.
        assert ended_by is not None or len(first.turns) + rest == 1500
        assert c.counters.snapshot().goaways_received == 1
        with pytest.raises(parley.Unavailable) as caught:
            c.server_info(timeout=3)
        assert caught.value.code == 14 and "cannot reach" in caught.value.message
        daemon.start()  # same port and data: the client reconnects by itself
        assert c.get_turn("g-2-499").turn_id == "g-2-499"
        assert c.counters.snapshot().connects == 2


def test_async_client_reconnects_after_a_restart(make_server) -> None:
    daemon = make_server()

    async def main() -> None:
        async with parley.AsyncClient(daemon.address, api_key=daemon.key, organization_id="aio-restart",
                                      retries=2, backoff_cap=0.2) as c:
            await c.log_turn(turn_id="before", session_id="s")
            daemon.signal(signal.SIGTERM)
            assert daemon.wait() == 0
            try:
                await c.server_info(timeout=3)
            except parley.Unavailable as exc:
                assert exc.code == 14
            else:
                raise AssertionError("a stopped server answered")
            daemon.start()
            assert (await c.get_turn("before")).turn_id == "before"
            counters = c.counters.snapshot()
            assert counters.goaways_received == 1 and counters.connects == 2

    asyncio.run(main())
