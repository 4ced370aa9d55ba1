"""The dashboard over HTTP (FastAPI's test client): logging in, row-level security on every
page, the API and the CSV export, and what error pages and URLs give away."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shopsync.dashboard.app import create_app, money

from .conftest import FROM, PASSWORD, TENANTS, TO, USERS, Loaded

pytestmark = [pytest.mark.spark, pytest.mark.e2e]
RANGE = f"from={FROM}&to={TO}"
NAMES = {"acme": "Acme", "acme_corp": "Acme Corp", "bluebird": "Bluebird"}


def client(app: Any) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def post_login(
    c: TestClient, user: str, password: str = PASSWORD, form: str = "/login", next: str = "/"
) -> Any:
    """The login form (from ``form``) sent with its CSRF token; the answer, not followed."""
    token = csrf_of(c.get(form).text)
    data = {"username": user, "password": password, "csrf": token, "next": next}
    return c.post("/login", data=data, follow_redirects=False)


def logged_in(app: Any, user: str) -> TestClient:
    c = client(app)
    done = post_login(c, user)
    assert done.status_code == 303, done.text
    return c


def kpis(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-kpi="([^"]+)">([^<]+)<', page))


def visible(page: str) -> set[str]:
    """The tenants a page links to (the store menu)."""
    return set(re.findall(r'href="/stores/([^/"]+)/', page))


def test_pages_need_a_login_and_go_back_after_it(dashboard_app: Any) -> None:
    c = client(dashboard_app)
    first = c.get(f"/stores/acme/sales?{RANGE}", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"].startswith("/login?next=%2Fstores%2Facme%2Fsales")
    done = post_login(
        c, "acme-analyst", form=first.headers["location"], next=f"/stores/acme/sales?{RANGE}"
    )
    assert done.headers["location"] == f"/stores/acme/sales?{RANGE}"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_login_never_sends_the_user_off_site(dashboard_app: Any, target: str) -> None:
    done = post_login(client(dashboard_app), "admin", next=target)
    assert done.headers["location"] == "/"


def test_a_wrong_password_or_user_is_refused_alike(dashboard_app: Any) -> None:
    c = client(dashboard_app)
    for user, password in (("acme-analyst", "wrong"), ("no-such-user", PASSWORD)):
        done = post_login(c, user, password)
        assert done.status_code == 401
        assert "Wrong user name or password." in done.text
        assert c.get("/", follow_redirects=False).status_code == 303  # still logged out


def test_forms_without_the_session_csrf_token_are_refused(dashboard_app: Any) -> None:
    c = client(dashboard_app)
    c.get("/login")
    done = c.post("/login", data={"username": "admin", "password": PASSWORD, "csrf": "forged"})
    assert done.status_code == 403
    other = logged_in(dashboard_app, "admin")
    assert other.post("/logout", data={"csrf": "forged"}).status_code == 403
    assert other.get("/operations").status_code == 200  # still logged in


def test_logout_ends_the_session(dashboard_app: Any) -> None:
    c = logged_in(dashboard_app, "acme-analyst")
    page = c.get(f"/stores/acme/sales?{RANGE}")
    copied = dict(c.cookies)
    assert (
        c.post("/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False).status_code
        == 303
    )
    assert c.get(f"/stores/acme/sales?{RANGE}", follow_redirects=False).status_code == 303
    replay = client(dashboard_app)  # a copy of the cookie taken before the logout
    replay.cookies.update(copied)
    assert replay.get(f"/stores/acme/sales?{RANGE}", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("tenant", list(TENANTS))
def test_each_analyst_sees_their_store_and_its_figures(
    dashboard_app: Any, loaded: Loaded, tenant: str
) -> None:
    user = next(u for u, g in USERS.items() if g == (f"{tenant}-analysts",))
    c = logged_in(dashboard_app, user)
    home = c.get("/")
    assert str(home.url).endswith(f"/stores/{tenant}/sales")
    page = c.get(f"/stores/{tenant}/sales?{RANGE}")
    assert page.status_code == 200
    net, orders = loaded.net_sales(tenant)
    assert orders > 0
    assert kpis(page.text)["Net sales"] == money(net, TENANTS[tenant])
    assert kpis(page.text)["Orders"] == f"{orders:,}"
    assert visible(page.text) == {tenant}
    others = [NAMES[t] for t in TENANTS if t != tenant and NAMES[t] != NAMES[tenant]]
    for text in (page.text, c.get(f"/stores/{tenant}/inventory?{RANGE}").text):
        assert not [n for n in others if f">{n}<" in text]
    for other in TENANTS:
        if other != tenant:
            assert c.get(f"/stores/{other}/sales?{RANGE}").status_code == 404


def test_currency_follows_the_store(dashboard_app: Any) -> None:
    c = logged_in(dashboard_app, "corp-analyst")
    page = c.get(f"/stores/acme_corp/sales?{RANGE}").text
    assert kpis(page)["Net sales"].startswith("\u20ac")
    assert '"tickprefix": "\\u20ac"' in page or '"tickprefix": "€"' in page


def test_a_store_the_user_may_not_see_answers_like_one_that_does_not_exist(
    dashboard_app: Any,
) -> None:
    c = logged_in(dashboard_app, "acme-analyst")
    hidden = c.get(f"/stores/acme_corp/sales?{RANGE}")
    missing = c.get(f"/stores/no_such_store/sales?{RANGE}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text == missing.text.replace("no_such_store", "acme_corp")
    assert "Acme Corp" not in hidden.text
    for path in ("charts/net_sales.csv", "charts/top_products.csv"):
        assert c.get(f"/stores/acme_corp/{path}?{RANGE}").status_code == 404


@pytest.mark.parametrize("user", ["stranger", "groupless"])
def test_a_user_without_a_rule_sees_nothing(dashboard_app: Any, user: str) -> None:
    c = logged_in(dashboard_app, user)
    home = c.get("/")
    assert "No stores to show" in home.text
    assert visible(home.text) == set()
    for tenant in TENANTS:
        assert c.get(f"/stores/{tenant}/sales?{RANGE}").status_code == 404
    assert c.get(f"/api/summary?{RANGE}").json()["tenants"] == []
    assert c.get("/operations").status_code == 404


def test_a_user_in_two_groups_sees_both_stores_and_only_them(dashboard_app: Any) -> None:
    c = logged_in(dashboard_app, "two-stores")
    page = c.get(f"/stores/bluebird/sales?{RANGE}")
    assert visible(page.text) == {"acme", "bluebird"}
    ids = [t["tenant_id"] for t in c.get(f"/api/summary?{RANGE}").json()["tenants"]]
    assert ids == ["acme", "bluebird"]


def test_the_admin_sees_every_store_and_the_operations(dashboard_app: Any, loaded: Loaded) -> None:
    c = logged_in(dashboard_app, "admin")
    page = c.get(f"/stores/acme/sales?{RANGE}")
    assert visible(page.text) == set(TENANTS)
    ops = c.get("/operations")
    assert ops.status_code == 200
    for tenant in TENANTS:
        assert f'id="ops-{tenant}"' in ops.text
        runs = loaded.query(
            "SELECT MAX(run_id) FROM shopsync_ops.load_ledger WHERE tenant_id = ?", tenant
        )
        assert runs[0][0] in ops.text
    assert "last sync failed" not in ops.text
    assert "(full) succeeded" in ops.text


def test_operations_are_for_admins_only(dashboard_app: Any) -> None:
    c = logged_in(dashboard_app, "acme-analyst")
    assert c.get("/operations").status_code == 404
    assert "Operations" not in c.get(f"/stores/acme/sales?{RANGE}").text


def test_the_api_takes_basic_auth_and_gives_one_entry_per_visible_store(
    dashboard_app: Any, loaded: Loaded
) -> None:
    c = client(dashboard_app)
    assert c.get("/api/summary").status_code == 401
    assert c.get("/api/summary", auth=("acme-analyst", "wrong")).status_code == 401
    body = c.get(f"/api/summary?{RANGE}", auth=("corp-analyst", PASSWORD)).json()
    assert [t["tenant_id"] for t in body["tenants"]] == ["acme_corp"]
    entry = body["tenants"][0]
    net, orders = loaded.net_sales("acme_corp")
    assert entry["orders"] == orders
    assert entry["net_sales"] == pytest.approx(float(net))
    assert entry["currency"] == "EUR"
    admin = c.get(f"/api/summary?{RANGE}", auth=("admin", PASSWORD)).json()
    assert [t["tenant_id"] for t in admin["tenants"]] == sorted(TENANTS)


def test_no_query_parameter_widens_what_the_api_shows(dashboard_app: Any) -> None:
    c = client(dashboard_app)
    for query in ("tenant=acme_corp", "tenant_id=acme_corp", "groups=shopsync-admins"):
        body = c.get(f"/api/summary?{query}", auth=("acme-analyst", PASSWORD)).json()
        assert [t["tenant_id"] for t in body["tenants"]] == ["acme"]


def test_every_chart_downloads_as_csv_with_the_numbers_it_draws(
    dashboard_app: Any, loaded: Loaded
) -> None:
    c = client(dashboard_app)
    auth = ("acme-analyst", PASSWORD)
    daily = c.get(f"/stores/acme/charts/net_sales.csv?{RANGE}", auth=auth)
    assert daily.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(daily.text)))
    assert rows[0] == ["period", "net_sales"]
    expected = loaded.query(  # decades of history: by month
        "SELECT CAST(date_trunc('month', day) AS DATE), SUM(net_sales) "
        "FROM reporting.daily_sales WHERE tenant_id = 'acme' GROUP BY 1 ORDER BY 1"
    )
    assert [(r[0], float(r[1])) for r in rows[1:]] == [(str(d), float(v)) for d, v in expected]
    last = expected[-1][0]
    month = c.get(f"/stores/acme/charts/net_sales.csv?from={last}&to={last}", auth=auth)
    by_day = loaded.query(
        "SELECT day, SUM(net_sales) FROM reporting.daily_sales WHERE tenant_id = 'acme' "
        "AND day = ? GROUP BY 1",
        last,
    )
    assert [(r[0], float(r[1])) for r in list(csv.reader(io.StringIO(month.text)))[1:]] == [
        (str(d), float(v)) for d, v in by_day
    ]
    for chart in (
        "orders",
        "returns_discounts",
        "top_products",
        "stock_by_location",
        "stock_value",
        "low_stock",
        "customers_weekly",
    ):
        got = c.get(f"/stores/acme/charts/{chart}.csv?{RANGE}&low=1000", auth=auth)
        assert got.status_code == 200, (chart, got.text)
        assert len(got.text.splitlines()) > 1, chart
    assert c.get(f"/stores/acme/charts/nope.csv?{RANGE}", auth=auth).status_code == 404


def test_bad_dates_are_named(dashboard_app: Any) -> None:
    c = logged_in(dashboard_app, "acme-analyst")
    bad = c.get("/stores/acme/sales?from=2024-13-01")
    assert bad.status_code == 400
    assert "from: not a date, expected YYYY-MM-DD" in bad.text
    backwards = c.get("/stores/acme/sales?from=2025-02-01&to=2025-01-01")
    assert backwards.status_code == 400
    assert "is after to" in backwards.text


def test_pages_forbid_framing_and_foreign_scripts(dashboard_app: Any) -> None:
    c = logged_in(dashboard_app, "acme-analyst")
    page = c.get(f"/stores/acme/sales?{RANGE}")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["cache-control"] == "no-store"
    assert not re.search(r'src="(https?:)?//', page.text)  # no CDN: every script is ours
    assert c.get("/static/plotly.min.js").status_code == 200


def test_the_low_stock_table_lists_the_variants_at_or_below_the_threshold(
    dashboard_app: Any, loaded: Loaded
) -> None:
    c = logged_in(dashboard_app, "acme-analyst")
    page = c.get("/stores/acme/inventory?low=1000")
    assert page.status_code == 200
    table = page.text.split('id="low_stock"')[1].split("</table>")[0]
    shown = len(re.findall(r"<tr><td>", table))
    expected = loaded.query(
        "SELECT COUNT(*) FROM (SELECT lv.inventory_item_id FROM reporting.inventory_levels lv "
        "WHERE lv.tenant_id = 'acme' AND lv._deleted_at IS NULL GROUP BY 1 "
        "HAVING SUM(lv.available) <= 1000)"
    )[0][0]
    assert shown == min(expected, 50) > 0


def test_only_local_host_names_are_answered(dashboard_app: Any) -> None:
    rebound = TestClient(dashboard_app, base_url="http://evil.example")
    assert rebound.get("/login").status_code == 400
    assert client(dashboard_app).get("/login").status_code == 200


def test_an_error_page_names_nothing_and_keeps_the_security_headers(
    loaded: Loaded, tmp_path: Path
) -> None:
    users = tmp_path / "dashboard_users.json"
    users.write_text(loaded.config.users_path.read_text())
    app = create_app(replace(loaded.config, users_path=users))
    c = logged_in(app, "acme-analyst")
    users.write_text("{broken")  # the users file breaks while the user is logged in
    page = c.get(f"/stores/acme/sales?{RANGE}")
    assert page.status_code == 500
    assert "something went wrong" in page.text
    assert str(tmp_path) not in page.text
    assert "acme" not in page.text.lower()
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["cache-control"] == "no-store"
