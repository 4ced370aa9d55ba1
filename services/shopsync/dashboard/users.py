"""The dashboard's principals: ``$SHOPSYNC_HOME/dashboard_users.json``.

Format: ``{"<user>": {"password_hash": "$argon2id$...", "groups": ["<group>", ...]}}``. The
groups are the ones ``reporting.rls_rules`` names (the tenant files' ``quicksight.groups``, and
:data:`~shopsync.reporting.tables.ADMIN_GROUP` for every tenant), so a user sees exactly the
tenants QuickSight's row-level security would show a member of those groups.

Created on first use: one user per group of the tenant files, named after the group, plus
``admin`` in the admin group, each with a random password that is returned once (the caller
prints it) and stored only as an Argon2id hash. A group added to a tenant file later gets its
user the next time; users already in the file (and any added by hand) are kept as they are.
"""

from __future__ import annotations

import fcntl
import json
import re
import secrets
from collections.abc import Iterable, Mapping
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shopsync.private_files import write_private
from shopsync.reporting.tables import ADMIN_GROUP

#: The administrator's user name: in :data:`ADMIN_GROUP`, sees every tenant and the operations.
ADMIN_USER = "admin"
USER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@+=,-]{0,127}")
GROUP_NAME = re.compile(r"[\w+=,.@-]{1,128}")  # QuickSight's group names (reporting.tables)

_hasher = PasswordHasher()
#: Verified against when the user does not exist, so a wrong name costs what a wrong password
#: does (no timing tells which users exist).
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class UsersFileError(ValueError):
    """``dashboard_users.json`` cannot be used; the message names the file and the entry."""


class User(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    password_hash: str = Field(pattern=r"^\$argon2(id|i|d)\$")
    groups: tuple[str, ...] = ()

    @property
    def is_admin(self) -> bool:
        return ADMIN_GROUP in self.groups


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def new_password() -> str:
    return secrets.token_urlsafe(12)


def read_users(path: Path) -> dict[str, User]:
    """Every user of the file; :class:`UsersFileError` naming the file and the bad entry."""
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise UsersFileError(f"{path}: not readable JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise UsersFileError(f"{path}: expected an object of users, got {type(data).__name__}")
    users: dict[str, User] = {}
    for name, entry in data.items():
        if not USER_NAME.fullmatch(name):
            raise UsersFileError(f"{path}: user {name!r}: not a valid user name")
        try:
            user = User.model_validate(entry)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'entry'}: {e['msg']}" for e in exc.errors()
            )
            raise UsersFileError(f"{path}: user {name!r}: {problems}") from None
        bad = [g for g in user.groups if not GROUP_NAME.fullmatch(g)]
        if bad:
            raise UsersFileError(f"{path}: user {name!r}: invalid group name {bad[0]!r}")
        users[name] = user
    return users


def ensure_users(path: Path, groups: Iterable[str]) -> dict[str, str]:
    """Create the users the file lacks: one per group in ``groups`` and :data:`ADMIN_USER`, for
    each group no user is in yet. ``{user: password}`` of the ones created now, the only time
    their passwords are known."""
    wanted = {ADMIN_USER: (ADMIN_GROUP,)} | {g: (g,) for g in sorted(set(groups))}
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_name(path.name + ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        users = read_users(path)
        covered = {g for u in users.values() for g in u.groups}
        created: dict[str, str] = {}
        for name, member_of in wanted.items():
            if name in users or set(member_of) <= covered:
                continue
            password = new_password()
            users[name] = User(password_hash=hash_password(password), groups=member_of)
            created[name] = password
        if created:
            write_users(path, users)
        return created


def write_users(path: Path, users: Mapping[str, User]) -> None:
    """Replace the file with ``users`` (mode 0600: it holds password hashes)."""
    write_private(
        path, json.dumps({n: u.model_dump(mode="json") for n, u in users.items()}, indent=2)
    )


def authenticate(users: Mapping[str, User], name: str, password: str) -> User | None:
    """The user if ``password`` is theirs, else None (the same work either way)."""
    user = users.get(name)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return user
