"""parleyd's shutdown: SIGTERM waits for a call in flight (a backup stream the client is
not reading), and a second signal stops it at once with exit status 0."""
from __future__ import annotations

import os
import signal
import subprocess
import time


def test_second_signal_cuts_the_grace_period_short(make_server):
    # The later --log-level wins over the fixture's "warning": the notice line is wanted.
    daemon = make_server("--shutdown-grace", "60", "--log-level", "notice")
    with daemon.client(organization_id="grace-org") as c:
        # More than the loopback socket buffers hold, so the stream blocks on the client.
        for b in range(8):
            # Counts given: counting 3 MB of text per call is not what this test measures.
            # Random hex: the store packs repeated text, and the backup must stay large.
            c.log_turns([dict(turn_id=f"g{b}-{i}", session_id="s", model="gpt-4o", input_tokens=1250,
                              output_tokens=1250, user_message=os.urandom(2500).hex(), ai_response=os.urandom(2500).hex())
                         for i in range(300)])
        stream = iter(c.stream_backup(timeout=120))
        assert next(stream).data, "the first chunk arrives"
        daemon.signal(signal.SIGTERM)
        time.sleep(2)
        assert daemon.process.poll() is None, "the first signal waits for the call in flight"
        started = time.monotonic()
        daemon.signal(signal.SIGINT)
        try:
            code = daemon.wait(timeout=10)
        except subprocess.TimeoutExpired:
            raise AssertionError("the second signal did not stop parleyd")
        assert code == 0
        assert time.monotonic() - started < 5
    log = (daemon.data_dir / "parleyd.log").read_text()
    assert "second signal: stopping now" in log
