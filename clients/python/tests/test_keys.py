"""API keys from Python: a key is made with a role and an organization, its secret shown
once; it acts only within its role and organization; revoking it holds on the open
connection at its next call."""
from __future__ import annotations

import pytest

import parley
from parley._proto import parley_keys_pb2 as keys


def test_an_ingest_key_writes_its_organization_and_nothing_else(server, org) -> None:
    with server.client(organization_id=org) as admin:
        made = admin.create_key(role=keys.INGEST, organization_id=org, label="chat backend")
    assert made.secret.startswith("pk_") and made.info.key_id
    assert made.info.role == keys.INGEST and made.info.organization_id == org
    with parley.Client(server.address, api_key=made.secret, organization_id=org, retries=0) as ingest:
        assert ingest.log_turn(turn_id="t-1", session_id="s-1", input_tokens=3, output_tokens=2).turn.turn_id == "t-1"
        with pytest.raises(parley.PermissionDenied) as caught:
            ingest.log_turn(turn_id="t-2", session_id="s-2", organization_id=org + "-other", input_tokens=1, output_tokens=1)
        assert caught.value.code == 7 and org + "-other" not in caught.value.message
        with pytest.raises(parley.PermissionDenied):
            ingest.list_keys()


def test_listing_never_shows_a_secret_and_revocation_holds_on_the_open_connection(server, org) -> None:
    with server.client(organization_id=org) as admin:
        made = admin.create_key(role=keys.READ, organization_id=org)
        listed = {k.key_id: k for k in admin.list_keys(org).keys}
        assert made.info.key_id in listed and not listed[made.info.key_id].HasField("revoked_at_ms")
        assert made.secret not in str(admin.list_keys(org))
        with parley.Client(server.address, api_key=made.secret, organization_id=org, retries=0) as reader:
            reader.server_info()
            admin.revoke_key(made.info.key_id)
            with pytest.raises(parley.Unauthenticated) as caught:
                reader.server_info()
            assert "revoked" in caught.value.message
        assert admin.list_keys(org).keys[0].HasField("revoked_at_ms")
