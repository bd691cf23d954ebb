"""Many callers on one connection: each gets its own answer."""
from __future__ import annotations

import asyncio
import threading

import parley


def test_64_threads_share_one_sync_client(client) -> None:
    calls_per_thread = 8
    failures = []
    barrier = threading.Barrier(64)

    def work(n: int) -> None:
        barrier.wait()
        try:
            for k in range(calls_per_thread):
                turn_id = f"th-{n}-{k}"
                stored = client.log_turn(turn_id=turn_id, session_id=f"s-{n}", model="m", input_tokens=n,
                                         output_tokens=k)
                assert stored.turn.turn_id == turn_id
                read = client.get_turn(turn_id)
                assert (read.turn_id, read.tokens.input, read.tokens.output) == (turn_id, n, k)
        except Exception as exc:  # reported below, with the thread that saw it
            failures.append((n, exc))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(64)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not failures, failures[:3]
    counters = client.counters.snapshot()
    assert counters.connects == 1 and counters.responses_received == 64 * calls_per_thread * 2


def test_500_asyncio_tasks_share_one_async_client(server, org) -> None:
    async def main() -> None:
        async with parley.AsyncClient(server.address, api_key=server.key, organization_id=org) as c:
            await c.log_turns([{"turn_id": f"as-{n}", "session_id": f"s-{n % 25}", "model": "m",
                                "input_tokens": n, "output_tokens": 1} for n in range(500)])

            async def one(n: int) -> None:
                turn = await c.get_turn(f"as-{n}")
                assert (turn.turn_id, turn.tokens.input) == (f"as-{n}", n)

            await asyncio.gather(*(one(n) for n in range(500)))
            assert c.counters.snapshot().connects == 1

    asyncio.run(main())


def test_async_client_streams_errors_and_deadlines(server, org) -> None:
    async def main() -> None:
        async with parley.AsyncClient(server.address, api_key=server.key, organization_id=org) as c:
            assert (await c.server_info()).protocol_version == 1
            await c.log_turns([{"turn_id": f"ae-{n}", "session_id": "s"} for n in range(30)])
            exported = [t.turn_id async for batch in c.export_turns() for t in batch.turns]
            assert sorted(exported) == sorted(f"ae-{n}" for n in range(30))
            try:
                await c.log_turn(turn_id="bad id", session_id="s")
            except parley.InvalidArgument as exc:
                assert exc.fields == ("turn_id",)
            else:
                raise AssertionError("a bad id was accepted")
            try:
                async for _ in c.export_turns(timeout=0.0001):
                    pass
            except parley.DeadlineExceeded as exc:
                assert exc.code == 4
            else:
                raise AssertionError("the deadline did not fire")
            assert await c.ping() > 0

    asyncio.run(main())
