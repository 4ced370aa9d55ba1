"""The HTTP protocol: shop routing, auth, content type, versions, validation, scopes."""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
import requests

from shopsync.settings import Settings
from shopsync_simulator import Simulator, SimulatorOptions
from shopsync_simulator.graphql.schema import DEFAULT_SCOPES
from tests.integration.simulator.client import Client

SHOP_QUERY = {"query": "{ shop { myshopifyDomain } }"}


def test_shop_by_path_prefix_and_by_host(simulator: Simulator) -> None:
    token = {"X-Shopify-Access-Token": simulator.token("acme_corp")}
    by_path = requests.post(
        simulator.graphql_url("acme_corp"), json=SHOP_QUERY, headers=token, timeout=10
    )
    by_host = requests.post(
        f"{simulator.url}/admin/api/2026-10/graphql.json",
        json=SHOP_QUERY,
        headers=token | {"Host": "acme-corp.myshopify.com"},
        timeout=10,
    )
    for resp in (by_path, by_host):
        assert resp.status_code == 200
        assert resp.json()["data"]["shop"]["myshopifyDomain"] == "acme-corp.myshopify.com"


def test_tokens_are_per_shop_and_saved_in_secrets_json(simulator: Simulator) -> None:
    saved = json.loads(Settings().secrets_path.read_text())
    assert saved["acme"]["access_token"] == simulator.token("acme")
    assert simulator.token("acme").startswith("shpat_")
    assert simulator.token("acme") != simulator.token("acme_corp")
    for tenant, token in [("acme", simulator.token("acme_corp")), ("acme_corp", simulator.token("acme")),  # noqa: E501
                          ("acme", ""), ("acme", simulator.token("acme") + "x")]:  # fmt: skip
        resp = requests.post(
            simulator.graphql_url(tenant), json=SHOP_QUERY,
            headers={"X-Shopify-Access-Token": token}, timeout=10,
        )  # fmt: skip
        assert resp.status_code == 401
        assert resp.json() == {
            "errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"
        }


def test_tokens_survive_a_restart(
    start_simulator: Callable[..., AbstractContextManager[Simulator]],
) -> None:
    with start_simulator() as first:
        token = first.token("acme")
    with start_simulator() as second:
        assert second.token("acme") == token


def test_unknown_shop_is_404(simulator: Simulator) -> None:
    resp = requests.post(
        f"{simulator.url}/shops/nope.myshopify.com/admin/api/2026-10/graphql.json",
        json=SHOP_QUERY, headers={"X-Shopify-Access-Token": simulator.token("acme")}, timeout=10,
    )  # fmt: skip
    assert resp.status_code == 404


def test_content_type_must_be_json(simulator: Simulator) -> None:
    resp = requests.post(
        simulator.graphql_url("acme"),
        data=json.dumps(SHOP_QUERY),
        headers={"X-Shopify-Access-Token": simulator.token("acme"), "Content-Type": "text/plain"},
        timeout=10,
    )
    assert resp.status_code == 400


@pytest.mark.parametrize(
    ("asked", "answered"),
    [("2026-10", "2026-10"), ("2026-01", "2026-01"), ("2025-10", "2025-10"),
     ("2024-01", "2025-10"), ("unstable", "2025-10"), ("2026-02", "2025-10")],
)  # fmt: skip
def test_version_header_and_fall_forward(simulator: Simulator, asked: str, answered: str) -> None:
    client = Client(simulator, "acme", asked)
    resp = client.post(SHOP_QUERY["query"])
    assert resp.status_code == 200
    assert resp.headers["X-Shopify-API-Version"] == answered


def test_keep_alive_serves_many_requests_on_one_connection(simulator: Simulator) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", simulator.port, timeout=10)
    headers = {
        "X-Shopify-Access-Token": simulator.token("acme"),
        "Content-Type": "application/json",
    }
    path = "/shops/acme.myshopify.com/admin/api/2026-10/graphql.json"
    for _ in range(5):
        conn.request("POST", path, body=json.dumps(SHOP_QUERY), headers=headers)
        resp = conn.getresponse()
        assert resp.status == 200
        assert json.loads(resp.read())["data"]["shop"]
        assert resp.getheader("Connection") != "close"
    sock = conn.sock
    assert sock is not None
    conn.close()


@pytest.mark.parametrize(
    ("query", "message", "code"),
    [
        ("{ products(first: 1) { nodes { id nope } } }", "Field 'nope' doesn't exist on type 'Product'", "undefinedField"),  # noqa: E501
        ("{ products(first: 1, colour: RED) { nodes { id } } }", "Field 'products' doesn't accept argument 'colour'", "argumentNotAccepted"),  # noqa: E501
        ("{ inventoryItems(first: 1) { nodes { inventoryLevels(first: 1) { nodes { quantities { name } } } } } }",  # noqa: E501
         "Field 'quantities' is missing required arguments: names", "missingRequiredArguments"),
    ],
)  # fmt: skip
def test_validation_errors_are_shopify_shaped(
    acme: Client, query: str, message: str, code: str
) -> None:
    resp = acme.post(query)
    assert resp.status_code == 200
    body = resp.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["message"] == message
    assert error["extensions"]["code"] == code
    assert error["locations"][0]["line"] == 1
    assert body["extensions"]["cost"]["throttleStatus"]["maximumAvailable"] == 2000


def test_syntax_error(acme: Client) -> None:
    body = acme.post("{ products(first: 1) { nodes { id }").json()
    assert body["errors"][0]["message"].startswith("syntax error, ")


def test_version_specific_fields(simulator: Simulator) -> None:
    """``bulkOperations`` exists from 2026-01 only: the real schemas decide."""
    query = "{ bulkOperations(first: 1) { nodes { id } } }"
    old = Client(simulator, "acme", "2025-10").post(query).json()
    assert old["errors"][0]["extensions"]["code"] == "undefinedField"
    new = Client(simulator, "acme", "2026-01").post(query).json()
    assert "errors" not in new


def test_missing_scope_is_access_denied(
    start_simulator: Callable[..., AbstractContextManager[Simulator]],
) -> None:
    options = SimulatorOptions(scopes={"acme": frozenset({"read_products"})})
    with start_simulator(options=options) as sim:
        client = Client(sim, "acme")
        assert "errors" not in client.post("{ products(first: 1) { nodes { id } } }").json()
        body = client.post("{ customers(first: 1) { nodes { id } } }").json()
        assert body["data"] is None
        assert {e["extensions"]["code"] for e in body["errors"]} == {"ACCESS_DENIED"}
        assert "read_customers" in body["errors"][0]["message"]
        other = Client(sim, "acme_corp").post("{ customers(first: 1) { nodes { id } } }").json()
        assert "errors" not in other, "scopes are per token"


SCOPES_QUERY = "{ currentAppInstallation { accessScopes { handle } } }"


def _handles(client: Client) -> list[str]:
    body = client.query(SCOPES_QUERY)
    return [s["handle"] for s in body["data"]["currentAppInstallation"]["accessScopes"]]


def test_the_app_installation_lists_the_granted_scopes_and_a_grant_changes_them(
    start_simulator: Callable[..., AbstractContextManager[Simulator]],
) -> None:
    options = SimulatorOptions(scopes={"acme": frozenset({"write_products", "read_customers"})})
    with start_simulator(options=options) as sim:
        acme = Client(sim, "acme")
        # As granted: write_products without the read_products it implies (and allows).
        assert _handles(acme) == ["read_customers", "write_products"]
        assert "errors" not in acme.post("{ products(first: 1) { nodes { id } } }").json()
        assert sorted(DEFAULT_SCOPES) == _handles(Client(sim, "acme_corp"))
        denied = acme.post("{ orders(first: 1) { nodes { id } } }").json()
        assert denied["errors"][0]["extensions"]["code"] == "ACCESS_DENIED"
        url = f"{sim.url}/_simulator/tenants/acme/scopes"
        granted = requests.post(url, json={"scopes": ["read_orders"]}, timeout=10)
        assert granted.json() == {"scopes": ["read_orders"]}
        assert requests.get(url, timeout=10).json() == {"scopes": ["read_orders"]}
        assert _handles(acme) == ["read_orders"]
        assert "errors" not in acme.post("{ orders(first: 1) { nodes { id } } }").json()
        assert acme.post("{ products(first: 1) { nodes { id } } }").json()["errors"]
        bad = requests.post(url, json={"scopes": "read_orders"}, timeout=10)
        assert bad.status_code == 400


def test_server_sockets_have_no_nagle_delay(simulator: Simulator) -> None:
    import socket

    session = requests.Session()
    session.post(simulator.graphql_url("acme"), json=SHOP_QUERY, timeout=10,
                 headers={"X-Shopify-Access-Token": simulator.token("acme")})  # fmt: skip
    host = simulator._host
    assert host is not None
    conns = list(host._server.connections)
    assert conns, "the keep-alive connection is still open"
    assert all(c.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for c in conns)
    session.close()
