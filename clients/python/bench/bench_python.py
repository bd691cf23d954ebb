"""`Tools/bench python`: the Python client against redis-py in the same run.

- recorder log_turn p99 (us, in the caller's thread, while the recorder sends to parleyd)
  vs stdlib logging through a QueueHandler (Python's usual non-blocking hand-off);
- sync Client LogTurn turns/s, pipelined (`client.pipeline()`, DEPTH calls per write) vs
  redis-py LPUSH of the same serialized Turn bytes with the same pipelining against
  redis-server with appendonly and appendfsync always (both durable before answering);
- recorder delivery turns/s (log_turn to acknowledged, LogTurns batches) vs the same
  redis-py figure.
Writes .bench/python.json as the other suites do; ratio > 1 means Parley is ahead.
"""
from __future__ import annotations

import argparse
import json
import logging
import logging.handlers
import os
import pathlib
import queue
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from typing import List

import redis

import parley


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, name: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"{name} did not listen within 60 s")


def p99(samples_ns: List[int]) -> float:
    ordered = sorted(samples_ns)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] / 1000.0


def make_turns(prefix: str, count: int) -> List[parley.pb.Turn]:
    return [parley.make_turn(turn_id=f"{prefix}-{n}", organization_id="bench", session_id=f"s-{n % 500}",
                             device_id="d-1", contact_id=f"c-{n % 200}", persona_id="p-1", model="gpt-4o",
                             user_message="What are your opening hours on Saturday?",
                             ai_response="We are open from 9am to 6pm on Saturdays.", input_tokens=120,
                             output_tokens=35, replied_at=1_764_000_000_000 + n)
            for n in range(count)]


def recorder_overhead(address: str, key: str, calls: int) -> float:
    recorder = parley.Recorder(address=address, api_key=key, organization_id="bench", close_at_exit=False)
    samples = []
    clock = time.perf_counter_ns
    for n in range(calls):
        started = clock()
        recorder.log_turn(turn_id=f"rec-{n}", session_id=f"s-{n % 500}", model="gpt-4o", input_tokens=120,
                          output_tokens=35, user_message="What are your opening hours on Saturday?",
                          ai_response="We are open from 9am to 6pm on Saturdays.")
        samples.append(clock() - started)
        if n % 1000 == 999:
            time.sleep(0.01)  # a chat backend's pace, not a tight loop: the sender runs meanwhile
    counters = recorder.close(timeout=60)
    if counters.acknowledged != calls:
        raise SystemExit(f"the recorder did not deliver every turn: {counters}")
    return p99(samples)


def logging_overhead(calls: int) -> float:
    logger = logging.getLogger("bench.turns")
    logger.propagate = False
    sink: "queue.SimpleQueue" = queue.SimpleQueue()
    logger.addHandler(logging.handlers.QueueHandler(sink))
    logger.setLevel(logging.INFO)
    samples = []
    clock = time.perf_counter_ns
    for n in range(calls):
        started = clock()
        logger.info("turn", extra={"turn_id": f"rec-{n}", "session_id": f"s-{n % 500}", "model": "gpt-4o",
                                   "input_tokens": 120, "output_tokens": 35})
        samples.append(clock() - started)
        if n % 1000 == 999:
            time.sleep(0.01)
    return p99(samples)


def client_throughput(address: str, key: str, turns: List[parley.pb.Turn], depth: int) -> float:
    with parley.Client(address, api_key=key, timeout=120) as client:
        started = time.perf_counter()
        for start in range(0, len(turns), depth):
            pipe = client.pipeline()
            for turn in turns[start:start + depth]:
                pipe.log_turn(turn)
            pipe.execute()
        return len(turns) / (time.perf_counter() - started)


def redis_throughput(port: int, payloads: List[bytes], depth: int) -> float:
    r = redis.Redis(host="127.0.0.1", port=port)
    r.ping()
    started = time.perf_counter()
    for start in range(0, len(payloads), depth):
        pipe = r.pipeline(transaction=False)
        for payload in payloads[start:start + depth]:
            pipe.lpush("turns", payload)
        pipe.execute()
    rate = len(payloads) / (time.perf_counter() - started)
    r.close()
    return rate


def recorder_throughput(address: str, key: str, count: int) -> float:
    recorder = parley.Recorder(address=address, api_key=key, organization_id="bench", batch_size=1000,
                               close_at_exit=False)
    started = time.perf_counter()
    for n in range(count):
        recorder.log_turn(turn_id=f"thr-{n}", session_id=f"s-{n % 500}", model="gpt-4o", input_tokens=120,
                          output_tokens=35, user_message="What are your opening hours on Saturday?",
                          ai_response="We are open from 9am to 6pm on Saturdays.")
    if not recorder.flush(timeout=300):
        raise SystemExit(f"the recorder did not deliver within 300 s: {recorder.counters}")
    rate = count / (time.perf_counter() - started)
    recorder.close()
    return rate


def result(name: str, unit: str, parley_value: float, peer: str, peer_value: float, lower_is_better: bool):
    ratio = peer_value / parley_value if lower_is_better else parley_value / peer_value
    return {"name": name, "unit": unit, "parley": parley_value, "peer": peer, "peer_value": peer_value,
            "ratio": ratio}


def main() -> int:
    parser = argparse.ArgumentParser(description="Python client benchmarks")
    parser.add_argument("--parleyd", required=True)
    parser.add_argument("--json", default=".bench/python.json")
    parser.add_argument("--log-turn-calls", type=int, default=50_000)
    parser.add_argument("--pipelined-turns", type=int, default=40_000)
    parser.add_argument("--depth", type=int, default=100, help="calls per pipeline write, both clients")
    parser.add_argument("--recorder-turns", type=int, default=40_000)
    args = parser.parse_args()

    scratch = pathlib.Path(tempfile.mkdtemp(prefix="parley-bench-python-"))
    parley_port, redis_port = free_port(), free_port()
    daemon = subprocess.Popen([args.parleyd, "--listen", f"127.0.0.1:{parley_port}", "--data-dir",
                               str(scratch / "parley"), "--log-level", "warning"])
    (scratch / "redis").mkdir()
    peer = subprocess.Popen(["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(scratch / "redis")],
                            stdout=subprocess.DEVNULL)
    try:
        wait_for_port(parley_port, daemon, "parleyd")
        wait_for_port(redis_port, peer, "redis-server")
        address = f"127.0.0.1:{parley_port}"
        key = (scratch / "parley" / "admin.key").read_text().strip()
        results = []

        overhead = recorder_overhead(address, key, args.log_turn_calls)
        baseline = logging_overhead(args.log_turn_calls)
        results.append(result("recorder log_turn p99", "us", overhead, "logging QueueHandler info()", baseline, True))

        turns = make_turns("pipe", args.pipelined_turns)
        payloads = [t.SerializeToString() for t in turns]
        peer_rate = redis_throughput(redis_port, payloads, args.depth)
        rate = client_throughput(address, key, turns, args.depth)
        results.append(result(f"sync LogTurn pipelined x{args.depth}", "turns/s", rate,
                              "redis-py LPUSH AOF always", peer_rate, False))

        delivered = recorder_throughput(address, key, args.recorder_turns)
        results.append(result("recorder delivery (LogTurns batches)", "turns/s", delivered,
                              "redis-py LPUSH AOF always", peer_rate, False))
    finally:
        daemon.terminate()
        peer.terminate()
        daemon.wait(30)
        peer.wait(30)
        shutil.rmtree(scratch, ignore_errors=True)

    print(f"{'benchmark':40} {'unit':8} {'parley':>10}  {'peer':30} {'peer value':>10} {'ratio':>7}")
    for r in results:
        print(f"{r['name']:40} {r['unit']:8} {r['parley']:10.2f}  {r['peer']:30} {r['peer_value']:10.2f} "
              f"{r['ratio']:6.2f}x")
    out = pathlib.Path(args.json)
    out.parent.mkdir(parents=True, exist_ok=True)
    lines = ",\n".join("    " + json.dumps(r) for r in results)
    out.write_text('{"suite": "python", "results": [\n' + lines + "\n]}\n")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
