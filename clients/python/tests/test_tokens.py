"""CountTokens, ServerInfo's token counting, and turns logged with their provider's usage,
against a real parleyd."""
from __future__ import annotations

import datetime as dt
import pathlib
import uuid

import pytest

import parley
from parley._proto import parley_tokens_pb2 as tokens_pb

UTC = dt.timezone.utc
REPLIED = dt.datetime(2026, 11, 2, 9, 0, 5, tzinfo=UTC)


def test_count_tokens_answers_one_count_per_text(server):
    with server.client() as c:
        answer = c.count_tokens(["hello world", "", "こんにちは 🌍 " * 50])
        assert len(answer.counts) == 3
        assert answer.counts[1] == 0
        assert answer.encoding == "cl100k_base"
        assert answer.method in (tokens_pb.COUNTED, tokens_pb.ESTIMATED)
        if answer.method == tokens_pb.COUNTED:
            assert answer.counts[0] == 2  # "hello", " world"
        info = c.server_info()
        assert info.token_count_method == answer.method
        assert info.token_counting


def test_without_a_vocabulary_counts_are_estimated_and_said_so(make_server, tmp_path):
    missing = tmp_path / "no-such.tiktoken"
    daemon = make_server("--vocab", str(missing))
    with daemon.client() as c:
        info = c.server_info()
        assert info.token_count_method == tokens_pb.ESTIMATED
        assert str(missing) in info.token_counting
        assert c.count_tokens(["abcdefgh"]).counts == [2]  # 8 bytes, one token per 4
        org = "tok-" + uuid.uuid4().hex[:8]
        stored = c.log_turn(turn_id="t-1", organization_id=org, session_id="s-1", user_message="abcdefgh",
                            ai_response="abcd", replied_at=REPLIED).turn
        assert stored.token_count_method == tokens_pb.ESTIMATED
        assert stored.tokens_estimated
    log = pathlib.Path(daemon.data_dir / "parleyd.log").read_text()
    assert log.count("token counts: estimated") == 1


def test_provider_usage_is_normalised_and_priced_as_the_provider_bills(server):
    org = "usage-" + uuid.uuid4().hex[:8]
    model = "m-" + uuid.uuid4().hex[:8]
    with server.client(organization_id=org) as c:
        c.set_price(model, input_nanos_per_mtok=1_000_000_000, output_nanos_per_mtok=2_000_000_000,
                    cached_read_nanos_per_mtok=100_000_000)
        openai = {"prompt_tokens": 1_000_000, "completion_tokens": 0, "total_tokens": 1_000_000,
                  "prompt_tokens_details": {"cached_tokens": 500_000}}
        stored = c.log_turn(turn_id="t-openai", session_id="s-1", model=model, usage={"openai": openai},
                            replied_at=REPLIED).turn
        assert (stored.tokens.input, stored.tokens.cached_read, stored.tokens.total) == (500_000, 500_000, 1_000_000)
        assert stored.usage.openai.cached_tokens == 500_000
        assert stored.token_count_method == tokens_pb.GIVEN
        gemini = {"promptTokenCount": 12_000, "cachedContentTokenCount": 10_000, "candidatesTokenCount": 400,
                  "thoughtsTokenCount": 1_200, "totalTokenCount": 13_600}
        stored = c.log_turn(turn_id="t-gemini", session_id="s-1", model=model, usage={"gemini": gemini},
                            replied_at=REPLIED).turn
        assert (stored.tokens.input, stored.tokens.output, stored.tokens.reasoning) == (2_000, 1_600, 1_200)
        report = c.report_models(since=REPLIED - dt.timedelta(hours=1), until=REPLIED + dt.timedelta(hours=1))
        row = next(r for r in report.rows if r.model == model)
        # 500,000 x $1 + 500,000 x $0.10 = $0.55; 2,000 x $1 + 10,000 x $0.10 + 1,600 x $2 = $0.0062
        assert row.cost.nanos == 550_000_000 + 6_200_000
        assert (row.cached_read_tokens, row.reasoning_tokens) == (510_000, 1_200)


def test_bad_usage_is_rejected_naming_the_field(server):
    with server.client(organization_id="usage-bad") as c:
        with pytest.raises(parley.ParleyError) as raised:
            c.log_turn(turn_id="t-bad", session_id="s-1", replied_at=REPLIED,
                       usage={"openai": {"prompt_tokens": 10, "completion_tokens": 1,
                                         "prompt_tokens_details": {"cached_tokens": 20}}})
        assert "cached_tokens" in str(raised.value)
    with pytest.raises(TypeError):
        parley.make_turn(turn_id="t", usage={"mistral": {}})
