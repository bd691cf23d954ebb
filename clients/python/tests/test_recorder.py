"""The Recorder while parleyd is SIGKILLed and restarted twice, and at process exit."""
from __future__ import annotations

import os
import pathlib
import re
import signal
import subprocess
import sys
import threading
import time

import parley

TURNS = 1000


def _log_while_killing(daemon, recorder: parley.Recorder, prefix: str, outage: float):
    """Logs TURNS turns over about 3 s while parleyd is killed (SIGKILL) and restarted twice."""
    logged, refused = [], 0

    def chaos() -> None:
        for _ in range(2):
            time.sleep(0.8)
            daemon.kill()
            time.sleep(outage)
            daemon.start()

    killer = threading.Thread(target=chaos)
    killer.start()
    for n in range(TURNS):
        turn_id = recorder.log_turn(turn_id=f"{prefix}-{n}", session_id=f"s-{n % 40}", model="gpt-4o",
                                    input_tokens=10, output_tokens=n % 7, user_message="hello",
                                    ai_response="hi there")
        if turn_id is None:
            refused += 1
        else:
            logged.append(turn_id)
        time.sleep(0.003)
    killer.join()
    return logged, refused


def _stored_ids(daemon, org: str):
    with daemon.client(organization_id=org) as c:
        return [t.turn_id for batch in c.export_turns() for t in batch.turns]


def test_with_a_spool_every_turn_arrives_once(make_server, tmp_path: pathlib.Path) -> None:
    daemon = make_server()
    client = daemon.client(organization_id="spooled", retries=1, backoff_cap=0.1, timeout=10)
    # The same small queue as the test without a spool: the spool, not memory, absorbs the outages.
    recorder = parley.Recorder(client, spool_dir=tmp_path / "spool", batch_size=20, flush_interval=0.05,
                               max_pending=60, close_at_exit=False)
    logged, refused = _log_while_killing(daemon, recorder, "sp", outage=1.0)
    assert refused == 0 and len(logged) == TURNS
    assert recorder.flush(timeout=90), recorder.counters
    counters = recorder.close()
    client.close()
    assert (counters.acknowledged, counters.rejected, counters.dropped, counters.pending) == (TURNS, 0, 0, 0)
    assert counters.logged == TURNS
    assert counters.retried > 0, "the kills should have made the recorder send again"
    stored = _stored_ids(daemon, "spooled")
    assert sorted(stored) == sorted(logged)  # every turn, none twice
    assert not list((tmp_path / "spool").glob("*.turns"))


def test_the_spool_outlives_the_recorder(make_server, tmp_path: pathlib.Path) -> None:
    daemon = make_server()
    daemon.kill()
    client = daemon.client(organization_id="kept", retries=0, timeout=2)
    first = parley.Recorder(client, spool_dir=tmp_path / "spool", flush_interval=0.05, close_at_exit=False)
    logged = [first.log_turn(turn_id=f"k-{n}", session_id="s-1", model="m", input_tokens=1) for n in range(200)]
    counters = first.close(timeout=0.5)
    assert (counters.kept_in_spool, counters.dropped, counters.acknowledged) == (200, 0, 0)
    daemon.start()
    second = parley.Recorder(client, spool_dir=tmp_path / "spool", flush_interval=0.05, close_at_exit=False)
    assert second.counters.recovered == 200
    assert second.flush(timeout=30)
    counters = second.close()
    client.close()
    assert (counters.acknowledged, counters.dropped, counters.pending) == (200, 0, 0)
    assert sorted(_stored_ids(daemon, "kept")) == sorted(logged)


def test_without_a_spool_the_drop_counters_equal_what_is_missing(make_server) -> None:
    daemon = make_server()
    client = daemon.client(organization_id="memory", retries=1, backoff_cap=0.1, timeout=10)
    recorder = parley.Recorder(client, batch_size=20, flush_interval=0.05, max_pending=60, close_at_exit=False)
    logged, refused = _log_while_killing(daemon, recorder, "mem", outage=1.0)
    assert recorder.flush(timeout=90), recorder.counters
    counters = recorder.close()
    client.close()
    stored = set(_stored_ids(daemon, "memory"))
    missing = TURNS - len(stored)
    assert counters.dropped == missing == refused > 0
    assert counters.logged == TURNS == counters.acknowledged + counters.rejected + counters.dropped + counters.pending
    assert counters.acknowledged == len(stored) and counters.pending == 0
    assert set(logged) == stored
    assert counters.dropped_reasons == {"queue full (60 turns pending)": missing}


EXITING_PROGRAM = r"""
import logging, sys, time, parley
logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(name)s %(message)s")
recorder = parley.Recorder(address=sys.argv[1], api_key=sys.argv[2], organization_id="exit", close_timeout=1.5,
                           batch_size=100, flush_interval=0.5, retries=0)
for n in range(300):
    recorder.log_turn(turn_id=f"x-{n}", session_id="s-1", model="m", input_tokens=1, output_tokens=1)
print("logged", flush=True)
if sys.argv[3] == "wait":
    time.sleep(60)  # Ctrl-C ends this
"""


def _run_exiting(address: str, key: str, mode: str, interrupt: bool):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    started = time.monotonic()
    child = subprocess.Popen([sys.executable, "-c", EXITING_PROGRAM, address, key, mode], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "logged"
    if interrupt:
        child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=20)
    return time.monotonic() - started, err


def _closing_counts(log: str) -> dict:
    line = [line for line in log.splitlines() if "recorder closed" in line][-1]
    return {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", line)}


def test_exit_drains_pending_turns(server) -> None:
    elapsed, log = _run_exiting(server.address, server.key, "exit", interrupt=False)
    counts = _closing_counts(log)
    assert (counts["logged"], counts["acknowledged"], counts["dropped"]) == (300, 300, 0), log
    assert elapsed < 15
    with server.client(organization_id="exit") as c:
        assert len([t for b in c.export_turns() for t in b.turns]) == 300


def test_ctrl_c_with_parley_down_ends_within_the_bound_and_counts_the_drops(make_server) -> None:
    daemon = make_server()
    key, address = daemon.key, daemon.address
    daemon.stop()
    elapsed, log = _run_exiting(address, key, "wait", interrupt=True)
    counts = _closing_counts(log)
    assert (counts["logged"], counts["acknowledged"], counts["dropped"]) == (300, 0, 300), log
    assert "dropped 300" in log or "dropped 100" in log, log  # the drops were logged, not silent
    assert elapsed < 10


def test_rejections_are_counted_with_their_reasons(server, org) -> None:
    with server.client(organization_id=org) as client:
        recorder = parley.Recorder(client, flush_interval=0.02, close_at_exit=False)
        good = recorder.log_turn(session_id="s-1", model="m", input_tokens=1)
        recorder.log_turn(turn_id="bad id", session_id="s-1")
        recorder.log_turn(session_id="s-1", tokens_in=3)  # not a Turn field
        assert recorder.flush(timeout=30)
        counters = recorder.close()
        assert (counters.logged, counters.acknowledged, counters.rejected, counters.dropped) == (3, 1, 2, 0)
        reasons = counters.rejected_reasons
        assert any(r.startswith("INVALID_ARGUMENT: turn_id") for r in reasons), reasons
        assert any(r.startswith("invalid arguments") and "tokens_in" in r for r in reasons), reasons
        assert client.get_turn(good).turn_id == good


def test_flush_is_bounded_when_parley_is_down(make_server) -> None:
    daemon = make_server()
    daemon.kill()
    client = daemon.client(organization_id="down", retries=0, timeout=1)
    recorder = parley.Recorder(client, flush_interval=0.02, close_at_exit=False)
    recorder.log_turn(session_id="s-1")
    started = time.monotonic()
    assert recorder.flush(timeout=0.5) is False
    assert 0.5 <= time.monotonic() - started < 2
    assert recorder.close(timeout=0.2).dropped == 1
