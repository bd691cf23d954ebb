"""CaptureLeads (47) and RecordFeedbackBatch (48) from Python against a real parleyd: a
result per item in order, bad items refused alone, a resent batch answered as duplicates."""
from __future__ import annotations

from parley._proto import parley_records_pb2 as records


def _log_session(client, session_id: str) -> None:
    client.log_turn(turn_id=f"t-{session_id}", session_id=session_id, user_message="question",
                    ai_response="answer", input_tokens=10, output_tokens=4)


def test_capture_leads_answers_each_item(client, org) -> None:
    _log_session(client, "s-1")
    _log_session(client, "s-2")
    leads = [
        records.Lead(organization_id=org, session_id="s-1", name="Ada", email="ada@example.com",
                     captured_at_ms=1_793_700_000_000),
        records.Lead(organization_id=org, session_id="s-none", name="Bo", captured_at_ms=1_793_700_000_000),
        records.Lead(organization_id=org, session_id="s-2", name="Cy", email="cy@example.com",
                     captured_at_ms=1_793_700_001_000),
    ]
    first = client.capture_leads(leads)
    assert [i.status for i in first.items] == [0, 5, 0]
    assert [i.id for i in first.items] == ["s-1", "s-none", "s-2"]
    assert not first.items[0].duplicate
    assert client.get_session_metrics("s-2").has_lead
    again = client.capture_leads([leads[0], leads[2]])
    assert [i.status for i in again.items] == [0, 0]
    assert all(i.duplicate for i in again.items)


def test_record_feedback_batch_answers_each_item(client, org) -> None:
    _log_session(client, "s-1")
    feedback = [
        records.Feedback(organization_id=org, session_id="s-1", score=5, given_at_ms=1_793_700_000_000),
        records.Feedback(organization_id=org, session_id="s-1", score=9, given_at_ms=1_793_700_000_000),
        records.Feedback(organization_id=org, session_id="s-1", turn_id="t-s-1", score=3,
                         given_at_ms=1_793_700_002_000),
    ]
    first = client.record_feedback_batch(feedback)
    assert [i.status for i in first.items] == [0, 3, 0]
    assert first.items[1].violations[0].field == "feedback[1].score"
    again = client.record_feedback_batch([feedback[0], feedback[2]])
    assert [i.duplicate for i in again.items] == [True, True]
