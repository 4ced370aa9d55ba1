"""The dashboard in a real browser: headless Chromium (Debian's ``chromium`` and
``chromium-driver``, driven by Selenium; nothing is downloaded) against the app served on
127.0.0.1. Logged in as each store's analyst, a user sees that store's figures only (checked
against the warehouse); tampered URLs show nothing of another store; a user with no rule sees
nothing; the admin sees every store and the operations. A screenshot of the sales page is kept
as a test artifact (``$SHOPSYNC_TEST_ARTIFACTS``, default ``.shopsync/test-artifacts/``)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shopsync.dashboard.app import money
from shopsync.dashboard.serve import running

from .conftest import FROM, PASSWORD, TENANTS, TO, USERS, Loaded

pytestmark = [pytest.mark.spark, pytest.mark.e2e]

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
NAMES = {"acme": "Acme", "acme_corp": "Acme Corp", "bluebird": "Bluebird"}
RANGE = f"from={FROM}&to={TO}"
ARTIFACTS = Path(
    os.environ.get("SHOPSYNC_TEST_ARTIFACTS")
    or Path(__file__).resolve().parents[3] / ".shopsync" / "test-artifacts"
)


@pytest.fixture(scope="module")
def base_url(dashboard_app: Any) -> Iterator[str]:
    with running(dashboard_app) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip(
            "no Chromium here (apt-get install -y chromium chromium-driver): the browser "
            "tests cannot run; test_http.py checks the same row-level security over HTTP"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager: never download a browser
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(arg)
    options.add_argument("--window-size=1400,1100")
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def log_in(browser: Any, base_url: str, user: str) -> None:
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(f"{base_url}/login")
    browser.find_element(By.NAME, "username").send_keys(user)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.login button").click()
    wait_for(browser, lambda b: "/login" not in b.current_url)


def wait_for(browser: Any, condition: Any, seconds: float = 30) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, seconds).until(condition)


def charts_drawn(browser: Any) -> int:
    """Wait until plotly.js has drawn every chart of the page; how many there are."""
    from selenium.webdriver.common.by import By

    plots = browser.find_elements(By.CSS_SELECTOR, ".plot")
    wait_for(
        browser,
        lambda b: (
            len(b.find_elements(By.CSS_SELECTOR, '.plot[data-drawn="1"] .main-svg')) >= len(plots)
        ),
    )
    return len(plots)


def kpi(browser: Any, label: str) -> str:
    from selenium.webdriver.common.by import By

    return str(browser.find_element(By.CSS_SELECTOR, f'[data-kpi="{label}"]').text)


def requested_hosts(browser: Any) -> set[str]:
    names = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name).concat([location.href])"
    )
    return {n.split("/")[2] for n in names}


@pytest.mark.parametrize("tenant", list(TENANTS))
def test_an_analyst_sees_their_store_only(
    browser: Any, base_url: str, loaded: Loaded, tenant: str
) -> None:
    user = next(u for u, g in USERS.items() if g == (f"{tenant}-analysts",))
    log_in(browser, base_url, user)
    assert browser.current_url.endswith(f"/stores/{tenant}/sales")
    browser.get(f"{base_url}/stores/{tenant}/sales?{RANGE}")
    assert charts_drawn(browser) == 4
    net, orders = loaded.net_sales(tenant)
    assert kpi(browser, "Net sales") == money(net, TENANTS[tenant])
    assert kpi(browser, "Orders") == f"{orders:,}"
    menu = browser.find_element("css selector", "nav.stores").text.split("\n")
    assert menu == [NAMES[tenant]]
    assert requested_hosts(browser) == {base_url.split("/")[2]}  # no CDN, nothing outside
    if tenant == "acme":
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        assert browser.save_screenshot(str(ARTIFACTS / "dashboard-sales.png"))
    for other in TENANTS:
        if other == tenant:
            continue
        browser.get(f"{base_url}/stores/{other}/sales?{RANGE}")
        assert browser.find_element("css selector", "h1").text == "no such store"
        assert f"{NAMES[other]}<" not in browser.page_source.replace(f"{NAMES[tenant]}<", "")


def test_every_page_draws_in_the_browser(browser: Any, base_url: str) -> None:
    log_in(browser, base_url, "acme-analyst")
    for page, charts in (("inventory", 2), ("customers", 1)):
        browser.get(f"{base_url}/stores/acme/{page}?{RANGE}")
        assert charts_drawn(browser) == charts
    browser.get(f"{base_url}/stores/acme/inventory?low=1000")
    rows = browser.find_elements("css selector", "#low_stock tbody tr")
    assert rows


def test_a_user_with_no_rule_sees_nothing(browser: Any, base_url: str) -> None:
    log_in(browser, base_url, "stranger")
    assert browser.find_element("css selector", "h1").text == "No stores to show"
    for tenant in TENANTS:
        browser.get(f"{base_url}/stores/{tenant}/sales?{RANGE}")
        assert browser.find_element("css selector", "h1").text == "no such store"


def test_the_admin_sees_every_store_and_the_operations(browser: Any, base_url: str) -> None:
    log_in(browser, base_url, "admin")
    menu = browser.find_element("css selector", "nav.stores").text.split("\n")
    assert menu == [*(NAMES[t] for t in sorted(TENANTS)), "Operations"]
    browser.get(f"{base_url}/operations")
    cards = browser.find_elements("css selector", "article.ops")
    assert [c.get_attribute("id") for c in cards] == [f"ops-{t}" for t in sorted(TENANTS)]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "dashboard-operations.png"))
