"""Every RPC from Python against a real parleyd, results checked; the reports equal the
Swift CLI's `--format json` for the same query."""
from __future__ import annotations

import datetime as dt
import uuid

import pytest

import parley
from parley import Dimension, Direction, Granularity, Measure, WriteOutcome
from parley._proto import parley_tokens_pb2

UTC = dt.timezone.utc
SINCE = dt.datetime(2026, 11, 1, tzinfo=UTC)
UNTIL = dt.datetime(2026, 11, 8, tzinfo=UTC)
SINCE_MS, UNTIL_MS = int(SINCE.timestamp() * 1000), int(UNTIL.timestamp() * 1000)
GPT_INPUT, GPT_OUTPUT = 2_500_000_000, 10_000_000_000  # nano-dollars per 1M tokens

# (turn, session, device, contact, persona, model, input, output, replied at)
TURNS = [
    ("t-1", "s-1", "d-1", "c-1", "p-1", "gpt-4o", 100, 40, dt.datetime(2026, 11, 2, 9, 0, 5, tzinfo=UTC)),
    ("t-2", "s-1", "d-1", "c-1", "p-1", "gpt-4o", 150, 60, dt.datetime(2026, 11, 2, 9, 1, 7, tzinfo=UTC)),
    ("t-3", "s-2", "d-2", "c-2", "p-1", "gpt-4o", 80, 20, dt.datetime(2026, 11, 3, 14, 0, 2, tzinfo=UTC)),
    ("t-4", "s-3", "d-2", "c-2", "p-2", "claude-x", 300, 120, dt.datetime(2026, 11, 3, 23, 30, 9, tzinfo=UTC)),
    ("t-5", "s-3", "d-2", "c-2", "p-2", "claude-x", 50, 10, dt.datetime(2026, 11, 4, 0, 10, 1, tzinfo=UTC)),
]


@pytest.fixture(scope="module")
def seeded(server):
    org = "rpc-" + uuid.uuid4().hex[:10]
    with server.client(organization_id=org) as c:
        c.set_price("gpt-4o", input_nanos_per_mtok=GPT_INPUT, output_nanos_per_mtok=GPT_OUTPUT)
        for device in ("d-1", "d-2"):
            c.upsert_device(device_id=device, name=f"Phone {device}", phone_number="+4930123")
        for contact in ("c-1", "c-2"):
            c.upsert_contact(contact_id=contact, name=f"Contact {contact}", phone_number="+4930999")
        c.upsert_persona(persona_id="p-1", name="Sales", default_model="gpt-4o")
        c.upsert_persona(persona_id="p-2", name="Support", default_model="claude-x")
        c.upsert_widget(widget_id="w-1", user_id="u-1", name="Site widget")
        for turn_id, session, device, contact, persona, model, inp, out, at in TURNS:
            asked = at - dt.timedelta(seconds=2)
            c.log_message(message_id=f"m-{turn_id}", contact_id=contact, device_id=device, session_id=session,
                          direction=Direction.INBOUND, content=f"question {turn_id}", created_at=asked)
            c.log_turn(turn_id=turn_id, session_id=session, device_id=device, message_id=f"m-{turn_id}",
                       contact_id=contact, persona_id=persona, widget_id="w-1", user_id="u-1", model=model,
                       user_message=f"question {turn_id}", ai_response=f"answer {turn_id}", input_tokens=inp,
                       output_tokens=out, user_message_at=asked, replied_at=at)
        c.capture_lead(session_id="s-1", name="Ada", email="ada@example.com", company="Acme",
                       captured_at=dt.datetime(2026, 11, 2, 9, 2, tzinfo=UTC))
        c.record_feedback(session_id="s-1", score=4, given_at=dt.datetime(2026, 11, 2, 9, 3, tzinfo=UTC))
        yield org, c


def test_server_info_and_welcome(seeded) -> None:
    _, c = seeded
    info = c.server_info()
    assert info.protocol_version == 1 and info.version == c.welcome.server_version
    assert info.uptime_ms >= 0 and info.connections >= 1
    assert c.welcome.max_frame_size == 4 * 1024 * 1024 and c.welcome.role == "admin"
    pongs = c.counters.snapshot().pongs_received
    assert 0 < c.ping() < 5
    assert c.counters.snapshot().pongs_received == pongs + 1


def test_writes_answer_what_was_stored(seeded) -> None:
    org, c = seeded
    again = c.log_turn(turn_id="t-1", session_id="s-1", device_id="d-1", message_id="m-t-1", contact_id="c-1",
                       persona_id="p-1", widget_id="w-1", user_id="u-1", model="gpt-4o", user_message="question t-1",
                       ai_response="answer t-1", input_tokens=100, output_tokens=40,
                       user_message_at=TURNS[0][8] - dt.timedelta(seconds=2), replied_at=TURNS[0][8])
    assert again.outcome == WriteOutcome.DUPLICATE and again.turn.turn_id == "t-1"
    fresh = c.log_turn(turn_id="t-x", session_id="s-x", user_message="no counts", ai_response="estimated")
    assert fresh.outcome == WriteOutcome.STORED and fresh.session.turn_count == 1
    # No counts given: counted with cl100k_base when the server has the vocabulary, else estimated.
    method = fresh.turn.token_count_method
    assert method in (parley_tokens_pb2.COUNTED, parley_tokens_pb2.ESTIMATED)
    assert fresh.turn.tokens_estimated == (method == parley_tokens_pb2.ESTIMATED)
    batch = c.log_turns([{"turn_id": "t-y", "session_id": "s-x", "model": "m", "input_tokens": 1},
                         {"turn_id": "bad id", "session_id": "s-x"}])
    assert [i.status for i in batch.items] == [0, 3]
    assert batch.items[1].violations[0].field.endswith("turn_id")
    assert c.log_message(message_id="m-t-1", contact_id="c-1", device_id="d-1", session_id="s-1",
                         direction=Direction.INBOUND, content="question t-1",
                         created_at=TURNS[0][8] - dt.timedelta(seconds=2)).outcome == WriteOutcome.DUPLICATE


def test_directory_reads_return_the_upserts(seeded) -> None:
    org, c = seeded
    assert c.get_device("d-1").name == "Phone d-1"
    assert c.get_contact("c-2").name == "Contact c-2"
    assert c.get_persona("p-1").default_model == "gpt-4o"
    assert c.get_widget("w-1").user_id == "u-1"
    with pytest.raises(parley.NotFound):
        c.get_device("d-404")


def test_turns_and_sessions(seeded) -> None:
    org, c = seeded
    turn = c.get_turn("t-2")
    assert (turn.session_id, turn.tokens.input, turn.tokens.output, turn.model) == ("s-1", 150, 60, "gpt-4o")
    session = c.get_session_metrics("s-1")
    assert session.has_lead and session.lead_email == "ada@example.com" and session.user_satisfaction == 4
    assert session.turn_count == 2 and session.total_tokens == 350
    listed = c.list_session_metrics(since=SINCE, until=UNTIL)
    assert {s.session_id for s in listed.sessions} == {"s-1", "s-2", "s-3"}
    assert c.count_session_metrics(since=SINCE, until=UNTIL).count == 3
    assert c.count_session_metrics(since=SINCE, until=UNTIL, has_lead=True).count == 1
    progress = list(c.backfill_session_metrics(org))
    assert progress and progress[-1].finished
    assert c.get_session_metrics("s-1").total_tokens == 350  # rebuilt from the turns: the same


def test_prices(seeded) -> None:
    _, c = seeded
    stored = c.set_price("pytest-model*", input_nanos_per_mtok=1, output_nanos_per_mtok=2,
                         effective_from=dt.datetime(2026, 1, 1, tzinfo=UTC))
    assert stored.model_pattern == "pytest-model*"
    patterns = {p.model_pattern for p in c.list_prices().prices}
    assert {"gpt-4o", "pytest-model*"} <= patterns
    c.delete_price("pytest-model*", effective_from=dt.datetime(2026, 1, 1, tzinfo=UTC))
    assert "pytest-model*" not in {p.model_pattern for p in c.list_prices().prices}


REPORTS = ["devices", "models", "daily", "personas", "contacts", "hourly", "sessions", "conversion"]


@pytest.mark.parametrize("kind", REPORTS)
def test_report_equals_the_cli(server, seeded, kind: str) -> None:
    org, c = seeded
    report = getattr(c, f"report_{kind}")(org, since=SINCE, until=UNTIL, tz="Europe/Berlin")
    expected = server.cli_json("report", kind, "--since", str(SINCE_MS), "--until", str(UNTIL_MS),
                               "--tz", "Europe/Berlin", org=org)
    assert parley.to_dict(report) == expected
    assert parley.to_dict(report), "the report is not empty"


def test_report_figures(seeded) -> None:
    org, c = seeded
    models = {r.model: r for r in c.report_models(org, since=SINCE, until=UNTIL).rows}
    gpt = models["gpt-4o"]
    assert (gpt.input_tokens, gpt.output_tokens, gpt.priced) == (330, 120, True)
    assert gpt.cost.nanos == (330 * GPT_INPUT + 120 * GPT_OUTPUT) // 1_000_000
    assert not models["claude-x"].priced and models["claude-x"].cost.unpriced_tokens == 480
    contacts = c.report_contacts(org, since=SINCE, until=UNTIL, contacts=["c-2"]).rows
    assert [r.contact_id for r in contacts] == ["c-2"]


def test_usage_equals_the_cli(server, seeded) -> None:
    org, c = seeded
    usage = c.usage(org, since=SINCE, until=UNTIL, group_by=[Dimension.DEVICE, Dimension.MODEL],
                    granularity=Granularity.DAY, order_by=Measure.TOTAL_TOKENS)
    expected = server.cli_json("usage", "--group-by", "device,model", "--granularity", "day", "--order-by",
                               "total-tokens", "--since", str(SINCE_MS), "--until", str(UNTIL_MS), org=org)
    assert parley.to_dict(usage) == expected
    assert sum(r.total_tokens for r in usage.rows) == sum(t[6] + t[7] for t in TURNS)


def test_thread_and_session_equal_the_cli(server, seeded) -> None:
    org, c = seeded
    page = c.contact_thread("c-2")
    assert [e.reply.turn_id for e in page.entries] == ["t-5", "t-4", "t-3"]  # newest first
    assert parley.to_dict(page) == server.cli_json("thread", "c-2", org=org)
    assert parley.to_dict(c.get_session_metrics("s-2")) == server.cli_json("session", "s-2", org=org)


def test_operations(seeded, tmp_path) -> None:
    org, c = seeded
    checked = list(c.check())
    assert checked[-1].finished and checked[-1].message.startswith("clean")
    stats = c.stats()
    assert stats.file_bytes > 0 and stats.commits > 0 and stats.trees
    repaired = c.repair_tokens(org)
    assert repaired.examined >= len(TURNS)
    turns = [t.turn_id for batch in c.export_turns(org, since=SINCE, until=UNTIL) for t in batch.turns]
    assert sorted(turns) == [t[0] for t in TURNS]
    messages = [m.message_id for b in c.export_messages(org, since=SINCE, until=UNTIL) for m in b.messages]
    assert sorted(messages) == sorted(f"m-{t[0]}" for t in TURNS)
    target = tmp_path / "backup.db"
    backup = c.backup(str(target))
    assert backup.bytes > 0 and target.stat().st_size == backup.bytes
    retained = list(c.retain_detail(older_than=dt.datetime(2000, 1, 1, tzinfo=UTC), organization_id=org))
    assert retained[-1].finished
    assert c.get_turn("t-1").turn_id == "t-1"  # nothing was older than 2000
