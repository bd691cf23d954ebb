"""Fixtures: real parleyd processes on ephemeral loopback ports with temporary data
directories (PARLEYD and PARLEY_CLI name the binaries; Tools/test-python sets them)."""
from __future__ import annotations

import json
import os
import pathlib
import signal
import socket
import subprocess
import time
import uuid
from typing import List, Optional

import pytest

import parley

REPO = pathlib.Path(__file__).resolve().parents[3]


def _binary(variable: str, name: str) -> pathlib.Path:
    path = pathlib.Path(os.environ.get(variable) or REPO / ".build" / "debug" / name)
    if not path.exists():
        pytest.exit(f"{path} is missing: run Tools/test-python (it builds {name}) or set {variable}", returncode=2)
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Parleyd:
    """One parleyd process; stop/kill/start again on the same port and data directory."""

    def __init__(self, data_dir: pathlib.Path, *extra: str) -> None:
        self.binary = _binary("PARLEYD", "parleyd")
        self.data_dir = data_dir
        self.port = free_port()
        self.extra = list(extra)
        self.process: Optional[subprocess.Popen] = None
        self.start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def key(self) -> str:
        return (self.data_dir / "admin.key").read_text().strip()

    def start(self) -> None:
        log = open(self.data_dir / "parleyd.log", "ab")
        self.process = subprocess.Popen(
            [str(self.binary), "--listen", self.address, "--data-dir", str(self.data_dir), "--log-level", "warning",
             *self.extra],
            stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"parleyd exited with {self.process.returncode}; see {self.data_dir}/parleyd.log")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                if (self.data_dir / "admin.key").exists():
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("parleyd did not start listening within 30 s")

    def signal(self, sig: int) -> None:
        assert self.process is not None
        self.process.send_signal(sig)

    def wait(self, timeout: float = 20) -> int:
        assert self.process is not None
        return self.process.wait(timeout)

    def kill(self) -> None:
        self.signal(signal.SIGKILL)
        self.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()

    def client(self, **options) -> parley.Client:
        return parley.Client(self.address, api_key=self.key, **options)

    def cli_json(self, *args: str, org: str) -> dict:
        """`parley ARGS --format json` against this server, parsed."""
        cli = _binary("PARLEY_CLI", "parley")
        done = subprocess.run(
            [str(cli), *args, "--addr", self.address, "--key", self.key, "--org", org, "--format", "json"],
            capture_output=True, text=True, timeout=60,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Parleyd:
    """The shared server; each test works in its own organization."""
    daemon = Parleyd(tmp_path_factory.mktemp("parleyd"))
    yield daemon
    daemon.stop()


@pytest.fixture
def make_server(tmp_path_factory):
    """Fresh servers for tests that stop or kill them."""
    started: List[Parleyd] = []

    def make(*extra: str) -> Parleyd:
        daemon = Parleyd(tmp_path_factory.mktemp("parleyd"), *extra)
        started.append(daemon)
        return daemon

    yield make
    for daemon in started:
        daemon.stop()


@pytest.fixture
def org() -> str:
    return "org-" + uuid.uuid4().hex[:12]


@pytest.fixture
def client(server, org):
    with server.client(organization_id=org) as c:
        yield c
