"""Anything that looks like a credential is rejected, and never repeated in the error."""

from __future__ import annotations

import base64
import random
from pathlib import Path

import pytest

from shopsync.tenants import TenantConfigError, load_registry, load_tenants_leniently
from shopsync.tenants.credentials import (
    SHOPIFY_TOKEN_PREFIXES,
    is_secret_key,
    looks_random,
    redact,
    shannon_entropy,
)
from tests.support.tenants import FULL, TODAY, edit, write

# Random-looking but fixed values: parametrize ids must be the same in every pytest worker.
_RNG = random.Random(20261124)
URLSAFE_32 = base64.urlsafe_b64encode(_RNG.randbytes(24)).decode()
HEX_20 = _RNG.randbytes(10).hex()
HEX_32 = _RNG.randbytes(16).hex()

HEX_TOKEN = "0123456789abcdef" * 2
RANDOM = "q7Zp2LkV9xW4sT1mNc8RbY3hJd6FgA0e"  # 32 characters, high entropy, no prefix


def rejected(tmp_path: Path, text: str) -> list[str]:
    directory = tmp_path / "tenants"
    write(directory, "acme.yaml", text)
    with pytest.raises(TenantConfigError) as info:
        load_registry(directory, today=TODAY)
    return info.value.errors


def assert_never_echoed(errors: list[str], secret: str) -> None:
    joined = "\n".join(errors)
    assert secret not in joined
    assert secret[6:] not in joined  # not even the token without its prefix


@pytest.mark.parametrize("prefix", SHOPIFY_TOKEN_PREFIXES)
def test_shopify_token_in_a_value(tmp_path: Path, prefix: str) -> None:
    token = prefix + HEX_TOKEN
    errors = rejected(tmp_path, edit("name: Acme", f"name: Acme {token}"))
    assert errors[0].startswith("tenants/acme.yaml: name: looks like a Shopify access token")
    assert_never_echoed(errors, token)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        pytest.param(FULL + f"access_token: shpat_{HEX_TOKEN}\n", "access_token", id="top level"),
        pytest.param(
            edit("  secret: shopsync/tenants/acme", f"  secret: shpat_{HEX_TOKEN}"),
            "auth.secret",
            id="as the secret name",
        ),
        pytest.param(
            edit("  groups: [acme-analysts]", f"  groups: [acme-analysts, shpua_{HEX_TOKEN}]"),
            "quicksight.groups[1]",
            id="in a list",
        ),
        pytest.param(FULL + f"shpss_{HEX_TOKEN}: x\n", "***", id="as a key"),
        pytest.param(
            edit("schedule: rate(1 hour)", f"schedule: shpca_{HEX_TOKEN}"),
            "schedule",
            id="where the schedule error would quote it",
        ),
        pytest.param(
            edit("id: acme", f"id: shppa_{HEX_TOKEN}"),
            "id",
            id="where the file name error would quote it",
        ),
        pytest.param(FULL + f"# old token: shpat_{HEX_TOKEN}\n", "line 15", id="in a comment"),
        pytest.param(
            f"id: acme\nname: [shpat_{HEX_TOKEN}\n", "line 2", id="in a file that does not parse"
        ),
    ],
)
def test_shopify_token_anywhere_is_reported_without_the_token(
    tmp_path: Path, text: str, field: str
) -> None:
    errors = rejected(tmp_path, text)
    assert f"tenants/acme.yaml: {field}: looks like a Shopify access token" in "\n".join(errors)
    assert_never_echoed(errors, HEX_TOKEN)


@pytest.mark.parametrize(
    "key", ["token", "access_token", "password", "secret_value", "client_secret", "api_key"]
)
def test_random_value_under_a_secret_key(tmp_path: Path, key: str) -> None:
    errors = rejected(tmp_path, edit("  secret: shopsync/tenants/acme", f"  {key}: {RANDOM}"))
    assert f"tenants/acme.yaml: auth.{key}: looks like a credential" in "\n".join(errors)
    assert_never_echoed(errors, RANDOM)


def test_random_hex_under_a_suffixed_key(tmp_path: Path) -> None:
    value = HEX_32
    errors = rejected(tmp_path, FULL + f"shopify-access-token: {value}\n")
    assert "tenants/acme.yaml: shopify-access-token: looks like a credential" in "\n".join(errors)
    assert_never_echoed(errors, value)


def test_low_entropy_value_is_only_an_unknown_key(tmp_path: Path) -> None:
    errors = rejected(tmp_path, FULL + "token: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n")
    assert errors == [
        "tenants/acme.yaml: token: unknown key; allowed keys: id, name, shop, enabled, plan, "
        "api_version, auth, schedule, streams, start_date, quicksight"
    ]


def test_the_example_secret_names_are_not_credentials(tmp_path: Path) -> None:
    directory = tmp_path / "tenants"
    write(directory, "acme.yaml", FULL)
    assert len(load_registry(directory, today=TODAY)) == 1


def test_lenient_errors_never_echo_the_token(tmp_path: Path) -> None:
    directory = tmp_path / "tenants"
    write(directory, "acme.yaml", edit("name: Acme", f"name: shpat_{HEX_TOKEN}"))
    tenants, errors = load_tenants_leniently(directory, today=TODAY)
    assert tenants == ()
    assert "looks like a Shopify access token" in errors["tenants/acme.yaml"]
    assert HEX_TOKEN not in errors["tenants/acme.yaml"]


@pytest.mark.parametrize(
    ("value", "random"),
    [
        (RANDOM, True),
        (URLSAFE_32, True),
        (HEX_20, True),  # 20 hex characters
        ("shopsync/tenants/acme", False),  # 21 characters, low entropy
        ("a" * 40, False),
        ("q7Zp2LkV9xW4sT1mNc8", False),  # 19 characters: too short
        ("correct horse battery staple", False),  # has spaces
    ],
)
def test_looks_random(value: str, random: bool) -> None:
    assert looks_random(value) is random


def test_entropy() -> None:
    assert shannon_entropy("") == 0
    assert shannon_entropy("aaaa") == 0
    assert shannon_entropy("abcd") == 2


@pytest.mark.parametrize(
    ("key", "secret"),
    [
        ("token", True),
        ("Access-Token", True),
        ("shopify_access_token", True),
        ("x_api_key", True),
        ("secret", False),  # auth.secret holds a NAME
        ("tokens", False),
        ("name", False),
    ],
)
def test_is_secret_key(key: str, secret: bool) -> None:
    assert is_secret_key(key) is secret


def test_redact_masks_known_secrets_and_token_shapes() -> None:
    assert redact(f"x {RANDOM} y", [RANDOM]) == "x *** y"
    assert redact(f"got 'shpat_{HEX_TOKEN}'") == "got 'shpat_***'"
