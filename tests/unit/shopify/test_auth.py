from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from shopsync.shopify import AwsSecrets, LocalSecrets, TokenProvider
from shopsync.shopify import errors as e
from tests.support.clients import TOKEN

from .fakes import Reply, ScriptedAdapter, session_with

TOKEN_URL = "https://acme.myshopify.com/admin/oauth/access_token"
CLIENT_SECRET = "very-secret-client-secret-value-42"


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def provider(secrets: LocalSecrets, adapter: ScriptedAdapter, clock: Clock) -> TokenProvider:
    return TokenProvider(
        tenant_id="acme",
        secret_name="shopsync/tenants/acme",
        secrets=secrets,
        token_url=TOKEN_URL,
        session=session_with(adapter),
        clock=clock,
    )


def write_secrets(path: Path, entries: object) -> LocalSecrets:
    path.write_text(json.dumps(entries))
    return LocalSecrets(path)


def test_static_token_from_local_secrets(tmp_path: Path) -> None:
    secrets = write_secrets(tmp_path / "s.json", {"acme": {"access_token": TOKEN}})
    tokens = provider(secrets, ScriptedAdapter(), Clock())
    assert tokens.token().get_secret_value() == TOKEN
    assert TOKEN not in repr(tokens.token())


def test_client_credentials_grant_is_cached_and_renewed_before_expiry(tmp_path: Path) -> None:
    secrets = write_secrets(
        tmp_path / "s.json", {"acme": {"client_id": "cid", "client_secret": CLIENT_SECRET}}
    )
    adapter = ScriptedAdapter(
        Reply(body={"access_token": "tok-1", "expires_in": 3600}),
        Reply(body={"access_token": "tok-2", "expires_in": 3600}),
    )
    clock = Clock()
    tokens = provider(secrets, adapter, clock)
    assert tokens.token().get_secret_value() == "tok-1"
    clock.now = 3000
    assert tokens.token().get_secret_value() == "tok-1"
    clock.now = 3541  # within the 60 s margin
    assert tokens.token().get_secret_value() == "tok-2"
    assert len(adapter.sent) == 2
    assert adapter.sent[0].url == TOKEN_URL
    assert adapter.sent[0].body == (
        f"grant_type=client_credentials&client_id=cid&client_secret={CLIENT_SECRET}"
    )
    assert CLIENT_SECRET not in adapter.sent[0].url


def test_refused_grant_is_unauthorized_without_the_secret(tmp_path: Path) -> None:
    secrets = write_secrets(
        tmp_path / "s.json", {"acme": {"client_id": "cid", "client_secret": CLIENT_SECRET}}
    )
    tokens = provider(secrets, ScriptedAdapter(Reply(status=401)), Clock())
    with pytest.raises(e.UnauthorizedError) as info:
        tokens.token()
    assert CLIENT_SECRET not in str(info.value)


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({}, "no entry"),
        ({"acme": {"client_id": "cid"}}, "must hold"),
        ({"acme": {"acces_token": TOKEN}}, "must hold"),
    ],
)
def test_bad_local_secrets_are_config_errors(tmp_path: Path, entries: object, message: str) -> None:
    secrets = write_secrets(tmp_path / "s.json", entries)
    with pytest.raises(e.AuthConfigError, match=message) as info:
        secrets.credentials("acme", "x")
    assert TOKEN not in str(info.value)


def test_missing_secrets_file(tmp_path: Path) -> None:
    with pytest.raises(e.AuthConfigError, match="no secrets file"):
        LocalSecrets(tmp_path / "none.json").credentials("acme", "x")


def test_aws_secrets_from_secrets_manager() -> None:
    with mock_aws():
        sm = boto3.client("secretsmanager", region_name="eu-west-1")
        sm.create_secret(
            Name="shopsync/tenants/acme", SecretString=json.dumps({"access_token": TOKEN})
        )
        creds = AwsSecrets(max_age=60).credentials("acme", "shopsync/tenants/acme")
        assert creds.access_token is not None
        assert creds.access_token.get_secret_value() == TOKEN
        with pytest.raises(e.AuthConfigError, match="cannot read secret"):
            AwsSecrets().credentials("acme", "shopsync/tenants/nope")
