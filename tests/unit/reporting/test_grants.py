"""The reporting user's statements: exact text, identifier guards, and what they leave granted.

The privilege model at the bottom applies the statements the way Redshift's GRANT/REVOKE do
(``ALL TABLES IN SCHEMA`` means the tables and views that exist then; the user's effective
privileges are its own plus PUBLIC's), and refuses any statement shape it does not know, so a
new kind of statement has to be modelled before it can pass.
"""

from __future__ import annotations

import json
import re

import pytest
from pydantic import SecretStr

from shopsync.reporting import grants
from shopsync.warehouse import sql
from shopsync.warehouse.specs import TABLES

USER = "shopsync_reporting"
PASSWORD = SecretStr("Reporting1Password")


def test_grants_golden() -> None:
    assert grants.reporting_grants(USER, ["acme_corp", "acme", "acme"]) == [
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        "REVOKE ALL ON ALL TABLES IN SCHEMA public, shopsync_ops, reporting, shop_acme, "
        "shop_acme_corp FROM shopsync_reporting",
        "REVOKE ALL ON SCHEMA public, shopsync_ops, reporting, shop_acme, shop_acme_corp "
        "FROM shopsync_reporting",
        "GRANT USAGE ON SCHEMA reporting TO shopsync_reporting",
        "GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO shopsync_reporting",
    ]


def test_grants_without_tenants_still_open_reporting() -> None:
    assert grants.reporting_grants(USER, [])[-2:] == [
        "GRANT USAGE ON SCHEMA reporting TO shopsync_reporting",
        "GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO shopsync_reporting",
    ]


def test_redshift_documented_md5_example() -> None:
    # r_CREATE_USER.html: password "ez", user "user1" -> md5 of "ezuser1", prefixed "md5".
    assert grants.password_hash("user1", SecretStr("ez")) == "md5153c434b4b77c89e6b94f12c5393af5b"


def test_create_user_golden_and_the_password_never_appears() -> None:
    hashed = grants.password_hash(USER, PASSWORD)
    assert grants.reporting_user(USER, PASSWORD, exists=False) == [
        f"CREATE USER shopsync_reporting PASSWORD '{hashed}' "
        "NOCREATEDB NOCREATEUSER SYSLOG ACCESS RESTRICTED"
    ]
    altered = grants.reporting_user(USER, PASSWORD, exists=True)
    assert altered == [
        f"ALTER USER shopsync_reporting PASSWORD '{hashed}'",
        "ALTER USER shopsync_reporting NOCREATEDB",
        "ALTER USER shopsync_reporting NOCREATEUSER",
        "ALTER USER shopsync_reporting SYSLOG ACCESS RESTRICTED",
    ]
    for statement in [*altered, *grants.reporting_user(USER, PASSWORD, exists=False)]:
        assert PASSWORD.get_secret_value() not in statement


def test_user_exists_query() -> None:
    assert grants.user_exists(USER) == (
        "SELECT COUNT(*) FROM pg_user WHERE usename = 'shopsync_reporting'"
    )


@pytest.mark.parametrize(
    "user",
    [
        "",
        "ab",
        "Shopsync_reporting",
        "1reporting",
        "public",
        "rdsdb",
        "pg_reporting",
        "reporting user",
        "reporting;drop",
        'reporting"',
        "reporting'--",
        "r" * 64,
        "reporting\n",
    ],
)
def test_bad_user_names_are_rejected_everywhere(user: str) -> None:
    with pytest.raises(ValueError, match="invalid reporting user name"):
        grants.reporting_grants(user, ["acme"])
    with pytest.raises(ValueError, match="invalid reporting user name"):
        grants.reporting_user(user, PASSWORD, exists=False)
    with pytest.raises(ValueError, match="invalid reporting user name"):
        grants.user_exists(user)


@pytest.mark.parametrize(
    "tenant", ["ACME", "ab", "acme; DROP SCHEMA reporting", "acme-corp", "shop_acme.x", ""]
)
def test_bad_tenant_ids_are_rejected(tenant: str) -> None:
    with pytest.raises(ValueError, match="invalid tenant id"):
        grants.reporting_grants(USER, ["acme", tenant])


@pytest.mark.parametrize(
    "password",
    [
        "Short1a",
        "alllowercase1",
        "ALLUPPERCASE1",
        "NoDigitsAtAll",
        "Has'Quote1",
        'Has"Quote1',
        "Has/Slash1",
        "Has@Sign1",
        "Has\\Backslash1",
        "Has Space1",
        "A1" + "a" * 63,
    ],
)
def test_passwords_redshift_refuses_are_rejected_without_echoing(password: str) -> None:
    with pytest.raises(ValueError, match="reporting password") as raised:
        grants.reporting_user(USER, SecretStr(password), exists=True)
    assert password not in str(raised.value)


def test_nothing_is_granted_on_ops_or_tenant_tables_and_only_read_privileges() -> None:
    statements = grants.reporting_grants(USER, ["acme", "acme_corp"])
    granted = [s for s in statements if s.startswith("GRANT")]
    assert granted, "the reporting user must be granted something"
    for statement in granted:
        assert sql.OPS_SCHEMA not in statement
        assert "WITH GRANT OPTION" not in statement
        privilege = statement.split()[1]
        assert privilege in {"USAGE", "SELECT"}, statement
        if privilege == "SELECT":
            assert statement.endswith(f"IN SCHEMA {sql.REPORTING_SCHEMA} TO {USER}")


def test_look_alike_tenants_are_named_apart() -> None:
    statements = grants.reporting_grants(USER, ["acme"])
    assert not any("acme_corp" in s for s in statements)
    assert re.search(r"\bshop_acme\b", statements[1])


def test_statement_count_grows_by_two_per_thousands_of_tenants() -> None:
    """The REVOKEs name every tenant schema, packed in statements of at most 64 KB: two more
    statements per ~1,500 tenants with the longest ids (40 characters), none for short ones."""
    assert len(grants.reporting_grants(USER, [f"t{i:03d}" for i in range(300)])) == 5
    longest = [f"t{i:039d}" for i in range(5000)]
    statements = grants.reporting_grants(USER, longest)
    assert len(statements) == 3 + 2 * 4
    assert max(len(s.encode()) for s in statements) <= 64_000
    batch = grants.reporting_user(USER, PASSWORD, exists=True) + statements
    assert len(batch) <= 40 - 5  # room for the finance views and the rules' swap


def test_reporting_secret_is_parsed_and_validated() -> None:
    parsed = grants.parse_reporting_secret(
        json.dumps({"username": USER, "password": "Reporting1Password", "engine": "redshift"})
    )
    assert parsed.username == USER
    assert parsed.password.get_secret_value() == "Reporting1Password"
    assert "Reporting1Password" not in repr(parsed)


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        ("not json Reporting1Password", "not JSON"),
        (json.dumps(["Reporting1Password"]), "must hold"),
        (json.dumps({"username": USER}), "must hold"),
        (json.dumps({"password": "Reporting1Password"}), "must hold"),
        (json.dumps({"username": "Admin", "password": "Reporting1Password"}), "user name"),
        (json.dumps({"username": USER, "password": "weak"}), "reporting password"),
    ],
)
def test_bad_reporting_secrets_are_rejected_without_echoing(secret: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        grants.parse_reporting_secret(secret)
    assert "Reporting1Password" not in str(raised.value)


# -- a small model of Redshift's GRANT / REVOKE for the statements above ----------------------

Privilege = tuple[str, str]  # (privilege, "schema" or "schema.table")
WRITES = {"INSERT", "UPDATE", "DELETE", "DROP", "ALTER", "TRUNCATE", "REFERENCES", "CREATE"}
CATALOG = {
    "public": [],
    "shopsync_ops": ["load_ledger", "checks", "skipped_streams"],
    "reporting": [*TABLES, "rls_rules"],
    "shop_acme": list(TABLES),
    "shop_acme_corp": list(TABLES),
}


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",")]


def _tables(schemas: list[str]) -> set[str]:
    return {f"{s}.{t}" for s in schemas for t in CATALOG[s]}


def apply(
    statements: list[str], user: set[Privilege], public: set[Privilege]
) -> tuple[set[Privilege], set[Privilege]]:
    user, public = set(user), set(public)
    for statement in statements:
        if m := re.fullmatch(r"REVOKE (\w+) ON SCHEMA (\w+) FROM PUBLIC", statement):
            public.discard((m[1], m[2]))
        elif m := re.fullmatch(rf"REVOKE ALL ON ALL TABLES IN SCHEMA (.+) FROM {USER}", statement):
            user = {p for p in user if p[1] not in _tables(_names(m[1]))}
        elif m := re.fullmatch(rf"REVOKE ALL ON SCHEMA (.+) FROM {USER}", statement):
            user = {p for p in user if p[1] not in _names(m[1])}
        elif m := re.fullmatch(rf"GRANT (\w+) ON ALL TABLES IN SCHEMA (.+) TO {USER}", statement):
            user |= {(m[1], t) for t in _tables(_names(m[2]))}
        elif m := re.fullmatch(rf"GRANT (\w+) ON SCHEMA (.+) TO {USER}", statement):
            user |= {(m[1], s) for s in _names(m[2])}
        else:
            pytest.fail(f"the model does not know this statement: {statement}")
    return user, public


DEFAULT_PUBLIC = {("CREATE", "public"), ("USAGE", "public")}
LEFT_BY_HAND = {
    ("INSERT", "shopsync_ops.load_ledger"),
    ("USAGE", "shopsync_ops"),
    ("CREATE", "reporting"),
    ("DELETE", "reporting.rls_rules"),
    ("SELECT", "shop_acme.orders"),
    ("CREATE", "shop_acme_corp"),
}


@pytest.mark.parametrize("start", [set(), LEFT_BY_HAND], ids=["fresh", "granted-by-hand"])
def test_the_statements_converge_to_read_only_reporting(start: set[Privilege]) -> None:
    statements = grants.reporting_grants(USER, ["acme", "acme_corp"])
    user, public = apply(statements, start, DEFAULT_PUBLIC)
    effective = user | public
    assert {o for p, o in effective if p == "SELECT"} == _tables(["reporting"])
    assert {o for p, o in effective if p == "USAGE"} == {"public", "reporting"}
    assert not {p for p in effective if p[0] in WRITES}
    assert not {p for p in effective if p[1].startswith("shopsync_ops")}
    assert not {p for p in effective if p[1].startswith("shop_") and "." in p[1]}
    # Running them again (the next refresh) changes nothing.
    assert apply(statements, user, public) == (user, public)


def test_what_the_union_view_layout_granted_on_tenant_schemas_is_taken_back() -> None:
    earlier = {("USAGE", "reporting"), ("USAGE", "shop_acme"), ("USAGE", "shop_acme_corp")}
    after, _ = apply(grants.reporting_grants(USER, ["acme", "acme_corp"]), earlier, set())
    assert not {p for p in after if p[1].startswith("shop_")}
    assert ("USAGE", "reporting") in after
