"""StreamBackup from Python: the chunks line up, the SHA-256 in the last chunk matches the
bytes, and `parleyd restore` accepts the file and brings back the turns logged before it."""
from __future__ import annotations

import hashlib
import subprocess

import conftest


def test_stream_backup_restores_with_parleyd(make_server, tmp_path):
    daemon = make_server()
    with daemon.client(organization_id="backup-org") as c:
        for i in range(20):
            c.log_turn(turn_id=f"b-{i}", session_id=f"s-{i % 3}", model="gpt-4o", input_tokens=10 + i, output_tokens=5)
        data = bytearray()
        chunks = list(c.stream_backup(timeout=60))
    for chunk in chunks:
        assert chunk.offset == len(data)
        data += chunk.data
    last = chunks[-1]
    assert last.last and last.total_bytes == len(data)
    assert last.sha256 == hashlib.sha256(data).digest()
    assert all(not chunk.last for chunk in chunks[:-1])

    backup = tmp_path / "backup.db"
    backup.write_bytes(bytes(data))
    restored = tmp_path / "restored"
    parleyd = conftest._binary("PARLEYD", "parleyd")
    done = subprocess.run([str(parleyd), "restore", str(backup), "--data-dir", str(restored)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "check found it clean" in done.stdout
    again = subprocess.run([str(parleyd), "restore", str(backup), "--data-dir", str(restored)],
                           capture_output=True, text=True, timeout=60)
    assert again.returncode == 1 and "exists" in again.stderr

    daemon.stop()
    # The restored directory has no keys yet (a backup holds the database only): the
    # first start makes an admin key, as on a new machine.
    second = conftest.Parleyd(restored)
    try:
        with second.client(organization_id="backup-org") as c:
            assert c.get_turn("b-19").turn_id == "b-19"
    finally:
        second.stop()
