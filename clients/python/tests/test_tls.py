"""TLS from Python: parleyd started with --tls-cert/--tls-key (a CA and certificate made by
Tools/make-test-certs for this run), Client and AsyncClient with tls=True and ca=PATH."""
from __future__ import annotations

import asyncio
import pathlib
import subprocess
import threading

import pytest

import parley
from parley import StatusCode, WriteOutcome

from conftest import REPO


@pytest.fixture(scope="module")
def certs(tmp_path_factory) -> pathlib.Path:
    directory = tmp_path_factory.mktemp("certs")
    subprocess.run([str(REPO / "Tools" / "make-test-certs"), str(directory)], check=True, timeout=60)
    return directory


@pytest.fixture
def tls_server(make_server, certs):
    return make_server("--tls-cert", str(certs / "server.pem"), "--tls-key", str(certs / "server.key"))


def test_calls_over_tls_from_many_threads(tls_server, certs, org) -> None:
    with parley.Client(tls_server.address, api_key=tls_server.key, organization_id=org,
                       tls=True, ca=str(certs / "ca.pem")) as c:
        assert c.server_info().protocol_version == 1
        assert c.welcome.role == "admin"
        outcomes = []

        def write(n: int) -> None:
            for i in range(20):
                answer = c.log_turn(turn_id=f"t-{n}-{i}", session_id=f"s-{n}", model="m", input_tokens=1, output_tokens=1)
                outcomes.append(answer.outcome)

        threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        # Readers and writers share one TLS session: every answer arrived intact.
        assert outcomes.count(WriteOutcome.STORED) == 80
        assert 0 < c.ping() < 5
        assert c.counters.snapshot().connects == 1


def test_a_client_trusting_another_ca_is_refused_with_a_tls_error(tls_server, certs) -> None:
    with parley.Client(tls_server.address, api_key=tls_server.key, ca=str(certs / "other-ca.pem"), retries=3) as c:
        with pytest.raises(parley.TLSError) as caught:
            c.server_info()
    assert "not signed by the CA in" in caught.value.message and "other-ca.pem" in caught.value.message
    assert caught.value.code == StatusCode.UNAVAILABLE


def test_a_plain_client_is_told_the_port_wants_tls(tls_server) -> None:
    with parley.Client(tls_server.address, api_key=tls_server.key, retries=0) as c:
        with pytest.raises(parley.FailedPrecondition) as caught:
            c.server_info()
    assert "accepts only TLS" in caught.value.message


def test_a_tls_client_of_a_plain_server_is_told_it_has_no_tls(server, certs) -> None:
    with parley.Client(server.address, api_key=server.key, ca=str(certs / "ca.pem"), retries=0) as c:
        with pytest.raises(parley.TLSError) as caught:
            c.server_info()
    assert "did not answer in TLS" in caught.value.message


def test_the_asyncio_client_over_tls(tls_server, certs, org) -> None:
    async def main() -> None:
        async with parley.AsyncClient(tls_server.address, api_key=tls_server.key, organization_id=org,
                                      tls=True, ca=str(certs / "ca.pem")) as c:
            answers = await asyncio.gather(*(c.log_turn(turn_id=f"a-{i}", session_id="s-a", model="m", input_tokens=1)
                                             for i in range(10)))
            assert all(a.outcome == WriteOutcome.STORED for a in answers)
        async with parley.AsyncClient(tls_server.address, api_key=tls_server.key,
                                      ca=str(certs / "other-ca.pem"), retries=0) as bad:
            with pytest.raises(parley.TLSError):
                await bad.server_info()

    asyncio.run(main())


def test_parley_tls_and_parley_ca_variables(tls_server, certs, monkeypatch) -> None:
    monkeypatch.setenv("PARLEY_CA", str(certs / "ca.pem"))
    with parley.Client(tls_server.address, api_key=tls_server.key) as c:
        assert c.server_info().protocol_version == 1
    monkeypatch.delenv("PARLEY_CA")
    monkeypatch.setenv("PARLEY_TLS", "maybe")
    with pytest.raises(ValueError, match="PARLEY_TLS"):
        parley.Client(tls_server.address, api_key=tls_server.key)
