"""``dashboard_users.json``: created with one user per group and an admin, hashed, kept."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from shopsync.dashboard.users import (
    ADMIN_USER,
    UsersFileError,
    authenticate,
    ensure_users,
    read_users,
)
from shopsync.reporting.tables import ADMIN_GROUP


def test_first_use_creates_a_user_per_group_and_an_admin(tmp_path: Path) -> None:
    path = tmp_path / "dashboard_users.json"
    created = ensure_users(path, ["acme-analysts", "corp-analysts", "acme-analysts"])
    assert set(created) == {ADMIN_USER, "acme-analysts", "corp-analysts"}
    users = read_users(path)
    assert users[ADMIN_USER].groups == (ADMIN_GROUP,)
    assert users["acme-analysts"].groups == ("acme-analysts",)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    text = path.read_text()
    for password in created.values():
        assert password not in text  # stored hashed only
        assert len(password) >= 16
    assert authenticate(users, "acme-analysts", created["acme-analysts"]) is not None
    assert authenticate(users, "acme-analysts", created["corp-analysts"]) is None
    assert authenticate(users, "nobody", created["corp-analysts"]) is None


def test_later_runs_keep_users_and_add_new_groups_only(tmp_path: Path) -> None:
    path = tmp_path / "dashboard_users.json"
    ensure_users(path, ["acme-analysts"])
    before = path.read_text()
    assert ensure_users(path, ["acme-analysts"]) == {}
    assert path.read_text() == before
    added = ensure_users(path, ["acme-analysts", "new-analysts"])
    assert set(added) == {"new-analysts"}
    assert json.loads(path.read_text())["acme-analysts"] == json.loads(before)["acme-analysts"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not readable JSON"),
        ("[]", "expected an object of users"),
        ('{"a b": {"password_hash": "$argon2id$x", "groups": []}}', "user 'a b': not a valid"),
        ('{"ann": {"password_hash": "plain", "groups": []}}', "user 'ann': password_hash"),
        ('{"ann": {"password_hash": "$argon2id$x", "groups": ["a b"]}}', "invalid group name"),
        ('{"ann": {"password_hash": "$argon2id$x", "role": "x"}}', "user 'ann': role"),
    ],
)
def test_a_bad_users_file_is_named_with_the_entry(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "dashboard_users.json"
    path.write_text(content)
    with pytest.raises(UsersFileError, match=message) as raised:
        read_users(path)
    assert str(path) in str(raised.value)
