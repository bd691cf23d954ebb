"""LogMessages (40) and UpsertDirectory (41) from Python against a real parleyd: a result
per item in order, bad items refused alone, a resent batch answered as duplicates."""
from __future__ import annotations

from parley import Direction
from parley._proto import parley_bulk_pb2 as bulk
from parley._proto import parley_records_pb2 as records


def _message(org: str, message_id: str, content: str = "hello") -> records.Message:
    return records.Message(message_id=message_id, organization_id=org, contact_id="c-1", device_id="d-1",
                           session_id="s-1", direction=Direction.INBOUND, content=content,
                           created_at_ms=1_793_700_000_000)


def test_log_messages_answers_each_item(client, org) -> None:
    first = client.log_messages([_message(org, "m-1"), _message(org, "bad id"), _message(org, "m-3")])
    assert [i.status for i in first.items] == [0, 3, 0]
    assert [i.duplicate for i in first.items] == [False, False, False]
    assert first.items[0].id == "m-1" and first.items[2].id == "m-3"
    assert first.items[1].violations[0].field == "messages[1].message_id"
    again = client.log_messages([_message(org, "m-1"), _message(org, "m-3", "changed")])
    assert [i.status for i in again.items] == [0, 6]
    assert again.items[0].duplicate


def test_upsert_directory_takes_every_kind(client, org) -> None:
    rows = [
        bulk.DirectoryRow(device=records.Device(organization_id=org, device_id="d-1", name="Front desk")),
        bulk.DirectoryRow(contact=records.Contact(organization_id=org, contact_id="c-1", name="Bo")),
        bulk.DirectoryRow(persona=records.Persona(organization_id=org, persona_id="p-1", name="Sales")),
        bulk.DirectoryRow(widget=records.Widget(organization_id=org, widget_id="w-1", name="Site")),
        bulk.DirectoryRow(),
    ]
    first = client.upsert_directory(rows)
    assert [i.status for i in first.items] == [0, 0, 0, 0, 3]
    assert first.items[4].violations[0].field == "rows[4]"
    assert client.get_contact("c-1").name == "Bo"
    rows[0].device.name = "Reception"
    again = client.upsert_directory(rows[:4])
    assert [i.duplicate for i in again.items] == [False, True, True, True]
    assert client.get_device("d-1").name == "Reception"
