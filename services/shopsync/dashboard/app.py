"""The dashboard's web app (FastAPI): log in, pick a store you may see, look at its charts.

Pages are ``/stores/<tenant>/sales|inventory|customers`` and, for administrators,
``/operations``; ``/stores/<tenant>/charts/<chart>.csv`` downloads a chart's numbers and
``/api/summary`` gives one entry per visible store. Pages need a session (a signed cookie set
by the login form); the CSV export and the API also take HTTP basic auth. A store the user has
no rule for answers exactly as a store that does not exist: 404, nothing of it named.
"""

from __future__ import annotations

import base64
import binascii
import csv
import html
import importlib.util
import io
import json
import logging
import math
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

import jinja2
from babel.numbers import format_currency, format_decimal, get_currency_symbol
from fastapi import FastAPI, Form, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware

from shopsync.private_files import write_private
from shopsync.state.base import StateStore, TenantState
from shopsync.warehouse.status import ingestion_status

from .charts import CHARTS_BY_NAME, LOW_STOCK_DEFAULT, Chart, Page, grain_for, page_charts
from .data import Rows, Warehouse, WarehouseBusyError, as_number
from .users import User, UsersFileError, authenticate, read_users

logger = logging.getLogger(__name__)

PAGES: tuple[Page, ...] = ("sales", "inventory", "customers")
PAGE_TITLES = {"sales": "Sales", "inventory": "Inventory", "customers": "Customers"}
LOCALE = "en_US"
#: The date picker's presets: label -> days back from today (None: all the store's sales,
#: where a store's pages open; without a store, the CSV export and the API default to a year).
PRESETS: dict[str, int | None] = {"30 days": 30, "90 days": 90, "12 months": 365, "All": None}
DEFAULT_DAYS = 365
SESSION_COOKIE = "shopsync_session"
SESSION_DAYS = 1

_PACKAGE = resources.files("shopsync.dashboard")
#: On every response: scripts and styles from the dashboard only, never framed, no referrer.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
#: The host names the dashboard answers to: a page on another site that rebinds its name to
#: 127.0.0.1 gets nothing.
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
#: What a missing figure shows.
NONE = "\u2013"


@dataclass(frozen=True)
class DashboardConfig:
    users_path: Path
    secret_key: str
    warehouse_path: Path
    #: tenant id -> the store's name (from its tenant file)
    names: Mapping[str, str] = field(default_factory=dict)
    #: the state store, for the operations page's last syncs (None: not shown)
    state: StateStore | None = None
    today: Callable[[], date] = field(default=lambda: datetime.now(UTC).date())


def session_key(path: Path) -> str:
    """The key that signs session cookies: 64 hex digits, created (mode 0600) on first use.
    A file that does not hold such a key (empty after a crash, edited by hand) is replaced: a
    weak key would let anyone sign a session."""
    try:
        key = path.read_text().strip()
    except FileNotFoundError:
        key = ""
    if re.fullmatch(r"[0-9a-f]{64,}", key):
        return key
    if key:
        logger.warning("%s does not hold a usable session key: a new one replaces it", path)
    key = secrets.token_hex(32)
    write_private(path, key)
    return key


def plotly_js() -> Path:
    """plotly.js as the ``plotly`` package ships it: served from here, never from a CDN."""
    spec = importlib.util.find_spec("plotly")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("plotly is not installed: pip install 'shopsync[local]'")
    return Path(spec.submodule_search_locations[0]) / "package_data" / "plotly.min.js"


# -- formatting ------------------------------------------------------------------------------


def money(value: Any, currency: str | None) -> str:
    number = as_number(value)
    if number is None:
        return NONE
    if currency is None:
        return format_decimal(number, format="#,##0.00", locale=LOCALE)
    return str(format_currency(number, currency, locale=LOCALE))


def count(value: Any) -> str:
    number = as_number(value)
    return NONE if number is None else str(format_decimal(number, locale=LOCALE))


def script_json(value: Any) -> str:
    """JSON to embed in a ``<script type="application/json">`` element: ``<``, ``>`` and ``&``
    escaped, so no value (a product title ``</script><img ...>``) can end the element."""
    text = json.dumps(value)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def csv_safe(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading quote."""
    if not isinstance(value, str):
        return value
    first = value.lstrip()[:1]
    if value[:1] in ("\t", "\r") or (first and first in "=+-@"):
        return "'" + value
    return value


# -- the figures of a chart --------------------------------------------------------------------


#: How a period is labelled on a chart's axis, by the period's length.
PERIOD_LABELS = {"day": "%b %d, %Y", "week": "%b %d, %Y", "month": "%b %Y"}


def label(value: Any, grain: str) -> str:
    """A chart's x value: a period named for people (``Dec 07, 2026``, ``Dec 2026``)."""
    if isinstance(value, date):
        return value.strftime(PERIOD_LABELS.get(grain, "%Y-%m-%d"))
    return str(value)


def figure(chart: Chart, rows: Rows, currency: str | None, grain: str = "day") -> dict[str, Any]:
    """The chart as a plotly.js figure (``data`` and ``layout``); hover texts pre-formatted in
    the store's currency. A table has none."""
    if chart.kind == "table":
        return {}
    x_name, *series = chart.columns
    # plotly.js draws a label's tags (<a href>, <b>, styles): a Shopify text is only text.
    xs = [html.escape(label(v, grain)) for v in rows.column(x_name)]
    prefix = get_currency_symbol(currency, locale=LOCALE) if currency else ""
    data: list[dict[str, Any]] = []
    shown = series if chart.kind != "hbar" else [c for c in series if c in chart.money][:1]
    for name in shown:
        values = [as_number(v) for v in rows.column(name)]
        texts = [money(v, currency) if name in chart.money else count(v) for v in values]
        trace: dict[str, Any] = {
            "name": name.replace("_", " "),
            "customdata": texts,
            "hovertemplate": "%{customdata}<extra>%{fullData.name}</extra>",
        }
        if chart.kind == "hbar":
            trace |= {"type": "bar", "orientation": "h", "x": values[::-1], "y": xs[::-1]}
            trace["customdata"] = trace["customdata"][::-1]
        elif chart.kind == "line":
            trace |= {"type": "scatter", "mode": "lines+markers", "x": xs, "y": values}
        else:
            trace |= {"type": "bar", "x": xs, "y": values}
        data.append(trace)
    money_axis = {"tickprefix": prefix, "separatethousands": True}
    value_axis = money_axis if any(s in chart.money for s in shown) else {}
    layout: dict[str, Any] = {
        "margin": {"l": 60, "r": 20, "t": 10, "b": 40},
        "height": 320,
        "barmode": "stack" if chart.kind == "stacked" else "group",
        "showlegend": len(data) > 1,
        "legend": {"orientation": "h", "y": 1.12},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
    }
    if chart.kind == "hbar":
        layout |= {"xaxis": value_axis, "yaxis": {"automargin": True}}
        layout["margin"] = {"l": 10, "r": 20, "t": 10, "b": 40}
    else:
        counts = {} if value_axis else _count_axis(data)
        layout |= {"yaxis": value_axis or counts, "xaxis": {"type": "category"}}
    return {"data": data, "layout": layout}


def _count_axis(data: list[dict[str, Any]]) -> dict[str, Any]:
    """An axis of whole numbers: ticks a whole number apart, about five of them."""
    top = max((v or 0 for trace in data for v in trace.get("y", [])), default=0)
    return {"tickformat": ",d", "rangemode": "tozero", "dtick": max(1, math.ceil(top / 5))}


def when(value: Any) -> str:
    """A time as ``YYYY-MM-DD HH:MM`` UTC (an ISO text, a datetime or nothing)."""
    if value is None or value == "":
        return NONE
    moment: datetime | None = value if isinstance(value, datetime) else None
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    if moment is None:
        return str(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M")


def table_cells(chart: Chart, rows: Rows, currency: str | None) -> list[list[str]]:
    out = []
    for row in rows.rows:
        cells = []
        for name, value in zip(chart.columns, row, strict=True):
            if name in chart.money:
                cells.append(money(value, currency))
            elif isinstance(value, int | float | Decimal):
                cells.append(count(value))
            else:
                cells.append("" if value is None else str(value))
        out.append(cells)
    return out


# -- the app ---------------------------------------------------------------------------------


class Range:
    """The page's date range, from the query string (``from``/``to``, YYYY-MM-DD)."""

    def __init__(self, start: date, end: date, preset: str | None) -> None:
        self.start, self.end, self.preset = start, end, preset

    @classmethod
    def parse(
        cls, raw_from: str | None, raw_to: str | None, today: date, first: date | None
    ) -> Range:
        end = _day("to", raw_to) if raw_to else today
        if raw_from:
            start = _day("from", raw_from)
        elif first is not None and first <= end:
            start = first  # a store's page opens on all its sales
        else:
            start = end - timedelta(days=min(DEFAULT_DAYS - 1, end.toordinal() - 1))
        if start > end:
            raise HTTPException(400, f"from ({start}) is after to ({end})")
        preset = None
        if end == today:
            starts = preset_starts(today, first)
            if first is None:
                del starts["All"]  # no sales: "All" names no range
            matches = [label for label, begins in starts.items() if begins == start]
            preset = matches[-1] if matches else None
        return cls(start, end, preset)

    def query(self) -> str:
        return f"from={self.start.isoformat()}&to={self.end.isoformat()}"


def preset_starts(today: date, first: date | None) -> dict[str, date]:
    """Where each preset's range starts (it ends today); "All" at the store's first sales
    day (today when it has none)."""
    return {
        label: today - timedelta(days=days - 1) if days else (first or today)
        for label, days in PRESETS.items()
    }


def _day(name: str, raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise HTTPException(400, f"{name}: not a date, expected YYYY-MM-DD") from None


class Site:
    """What every route needs: the configuration, the warehouse, the templates, and who is
    asking."""

    def __init__(self, config: DashboardConfig) -> None:
        self.config = config
        self.warehouse = Warehouse(config.warehouse_path)
        loader = jinja2.FileSystemLoader(str(_PACKAGE / "templates"))
        self.templates = Jinja2Templates(env=jinja2.Environment(loader=loader, autoescape=True))
        #: sessions logged out (a copy of the cookie must not outlive the logout)
        self.ended: set[str] = set()
        self.templates.env.filters["money"] = money
        self.templates.env.filters["count"] = count
        self.templates.env.filters["when"] = when

    def users(self) -> dict[str, User]:
        try:
            return read_users(self.config.users_path)
        except UsersFileError:
            logger.exception("the dashboard's users file cannot be read")
            raise HTTPException(500, "the dashboard's users file cannot be read") from None

    def session_user(self, request: Request) -> tuple[str, User] | None:
        if request.session.get("sid") in self.ended:
            return None
        name = request.session.get("user")
        user = self.users().get(name) if isinstance(name, str) else None
        return (name, user) if user is not None and isinstance(name, str) else None

    def basic_user(self, request: Request) -> tuple[str, User] | None:
        header = request.headers.get("authorization", "")
        scheme, _, encoded = header.partition(" ")
        if scheme.lower() != "basic" or not encoded:
            return None
        try:
            name, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user = authenticate(self.users(), name, password)
        return (name, user) if user is not None else None

    def api_user(self, request: Request) -> tuple[str, User]:
        found = self.session_user(request) or self.basic_user(request)
        if found is None:
            raise HTTPException(
                401, "log in or use HTTP basic auth", headers={"WWW-Authenticate": "Basic"}
            )
        return found

    def csrf_token(self, request: Request) -> str:
        token = request.session.get("csrf")
        if not isinstance(token, str):
            token = secrets.token_urlsafe(32)
            request.session["csrf"] = token
        return token

    def check_csrf(self, request: Request, token: str) -> None:
        expected = request.session.get("csrf")
        if not isinstance(expected, str) or not secrets.compare_digest(
            expected.encode(), token.encode()
        ):
            raise HTTPException(403, "the form expired or did not come from this dashboard")

    def render(
        self, request: Request, template: str, status: int = 200, **context: Any
    ) -> Response:
        found = self.session_user(request)
        context |= {
            "user": found[0] if found else None,
            "is_admin": bool(found and found[1].is_admin),
            "csrf": self.csrf_token(request),
        }
        return self.templates.TemplateResponse(request, template, context, status_code=status)

    def login_redirect(self, request: Request) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)

    def store(self, tenant: str, user: User) -> list[str]:
        """The tenants the user may see; 404 unless ``tenant`` is one of them (the same answer
        as for a store that does not exist)."""
        visible = self.warehouse.visible_tenants(user.groups)
        if tenant not in visible:
            raise HTTPException(404, "no such store")
        return visible


def create_app(config: DashboardConfig) -> FastAPI:
    app = FastAPI(title="shopsync dashboard", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(
        SessionMiddleware,
        secret_key=config.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_DAYS * 86_400,
        same_site="strict",
        https_only=False,  # served on 127.0.0.1 over plain HTTP
    )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=ALLOWED_HOSTS)
    site = Site(config)

    @app.middleware("http")
    async def _headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
        response: Response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    _errors(app, site)
    _login(app, site)
    _pages(app, site)
    _exports(app, site)
    _static(app)
    return app


def _errors(app: FastAPI, site: Site) -> None:

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        if request.url.path.startswith("/api/") or request.url.path.endswith(".csv"):
            return Response(
                json.dumps({"error": exc.detail}),
                status_code=exc.status_code,
                media_type="application/json",
                headers=exc.headers,
            )
        return site.render(request, "error.html", exc.status_code, message=exc.detail)

    @app.exception_handler(WarehouseBusyError)
    async def _busy(request: Request, exc: WarehouseBusyError) -> Response:
        return await _http_error(request, HTTPException(503, str(exc)))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        # Outside the headers middleware, and nothing here may fail in turn: a fixed page.
        logger.exception("dashboard request failed")
        return Response(
            "<!doctype html><title>Error</title><h1>something went wrong</h1>"
            '<p><a href="/">Back to the dashboard</a></p>',
            status_code=500,
            media_type="text/html",
            headers=SECURITY_HEADERS | {"Cache-Control": "no-store"},
        )


def _login(app: FastAPI, site: Site) -> None:

    def safe_next(raw: str | None) -> str:
        if raw and raw.startswith("/") and not raw.startswith("//") and "\\" not in raw:
            return raw
        return "/"

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str | None = None) -> Response:
        return site.render(request, "login.html", next=safe_next(next), error=None)

    @app.post("/login", response_class=HTMLResponse)
    def login(
        request: Request,
        username: Annotated[str, Form()],
        password: Annotated[str, Form()],
        csrf: Annotated[str, Form()],
        next: Annotated[str, Form()] = "/",
    ) -> Response:
        site.check_csrf(request, csrf)
        user = authenticate(site.users(), username, password)
        if user is None:
            return site.render(
                request,
                "login.html",
                401,
                next=safe_next(next),
                error="Wrong user name or password.",
            )
        request.session.clear()  # a fresh session (and CSRF token) for the logged-in user
        request.session["user"] = username
        request.session["sid"] = secrets.token_urlsafe(16)
        return RedirectResponse(safe_next(next), status_code=303)

    @app.post("/logout")
    def logout(request: Request, csrf: Annotated[str, Form()]) -> Response:
        site.check_csrf(request, csrf)
        sid = request.session.get("sid")
        if isinstance(sid, str):
            site.ended.add(sid)
        request.session.clear()
        return RedirectResponse("/login", status_code=303)


def _pages(app: FastAPI, site: Site) -> None:

    @app.get("/", response_class=HTMLResponse)
    def home(request: Request) -> Response:
        found = site.session_user(request)
        if found is None:
            return site.login_redirect(request)
        visible = site.warehouse.visible_tenants(found[1].groups)
        if visible:
            return RedirectResponse(f"/stores/{quote(visible[0])}/sales", status_code=303)
        return site.render(request, "empty.html", stores=[])

    @app.get("/stores/{tenant}/{page}", response_class=HTMLResponse)
    def store_page(
        request: Request,
        tenant: str,
        page: str,
        from_: Annotated[str | None, Query(alias="from")] = None,
        to: str | None = None,
        low: Annotated[int, Query(ge=0, le=1_000_000)] = LOW_STOCK_DEFAULT,
    ) -> Response:
        found = site.session_user(request)
        if found is None:
            return site.login_redirect(request)
        _, user = found
        if page not in PAGES:
            raise HTTPException(404, "no such page")
        visible = site.store(tenant, user)
        days = site.warehouse.sales_days(tenant, user.groups)
        today = site.config.today()
        span = Range.parse(from_, to, today, days[0] if days else None)
        currency = site.warehouse.currency(tenant, user.groups)
        grain = grain_for((span.end - span.start).days + 1)
        results = {
            chart.name: site.warehouse.chart(
                chart, tenant, user.groups, start=span.start, end=span.end, low=low
            )
            for chart in page_charts(page)
        }
        charts = [
            {
                "chart": CHARTS_BY_NAME[name],
                "title": CHARTS_BY_NAME[name].title.format(grain=grain),
                "rows": len(rows.rows),
                "figure": script_json(figure(CHARTS_BY_NAME[name], rows, currency, grain)),
                "cells": table_cells(CHARTS_BY_NAME[name], rows, currency),
                "csv": f"/stores/{quote(tenant)}/charts/{name}.csv?{span.query()}"
                + (f"&low={low}" if "low" in CHARTS_BY_NAME[name].params else ""),
            }
            for name, rows in results.items()
        ]
        if page == "sales":
            totals = [
                s
                for s in site.warehouse.summary(user.groups, start=span.start, end=span.end)
                if s["tenant_id"] == tenant
            ]
            headline = sales_headline(totals[0] if totals else {}, currency)
        elif page == "inventory":
            headline = inventory_headline(results, currency)
        else:
            headline = customers_headline(results)
        return site.render(
            request,
            "store.html",
            tenant=tenant,
            name=site.config.names.get(tenant, tenant),
            stores=[(t, site.config.names.get(t, t)) for t in visible],
            page=page,
            pages=[(p, PAGE_TITLES[p]) for p in PAGES],
            span=span,
            presets=preset_starts(today, days[0] if days else None),
            today=today,
            currency=currency,
            headline=headline,
            charts=charts,
            low=low,
        )

    @app.get("/operations", response_class=HTMLResponse)
    def operations(request: Request) -> Response:
        found = site.session_user(request)
        if found is None:
            return site.login_redirect(request)
        _, user = found
        if not user.is_admin:
            raise HTTPException(404, "no such page")
        statuses, streams = site.warehouse.operations(user.groups)
        syncs: dict[str, TenantState] = {}
        if site.config.state is not None and statuses:
            try:
                syncs = site.config.state.get_tenants([s.tenant_id for s in statuses])
            except Exception:  # the warehouse's figures are still worth showing
                logger.exception("the state store cannot be read")
        rows = [
            {
                "status": s,
                "name": site.config.names.get(s.tenant_id, s.tenant_id),
                "sync": ingestion_status(syncs.get(s.tenant_id)),
                "streams": streams.get(s.tenant_id, []),
                "tables": {t.table: t for t in s.tables},
            }
            for s in statuses
        ]
        return site.render(
            request,
            "operations.html",
            rows=rows,
            stores=[
                (s.tenant_id, site.config.names.get(s.tenant_id, s.tenant_id)) for s in statuses
            ],
            now=datetime.now(UTC),
            ops=True,
        )


def _exports(app: FastAPI, site: Site) -> None:
    @app.get("/stores/{tenant}/charts/{name}.csv")
    def chart_csv(
        request: Request,
        tenant: str,
        name: str,
        from_: Annotated[str | None, Query(alias="from")] = None,
        to: str | None = None,
        low: Annotated[int, Query(ge=0, le=1_000_000)] = LOW_STOCK_DEFAULT,
    ) -> Response:
        _, user = site.api_user(request)
        chart = CHARTS_BY_NAME.get(name)
        if chart is None:
            raise HTTPException(404, "no such chart")
        site.store(tenant, user)
        span = Range.parse(from_, to, site.config.today(), None)
        rows = site.warehouse.chart(
            chart, tenant, user.groups, start=span.start, end=span.end, low=low
        )
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(chart.columns)
        for row in rows.rows:
            writer.writerow([csv_safe(v) for v in row])
        filename = f"{tenant}-{chart.name}-{span.start}-{span.end}.csv"
        return Response(
            out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    @app.get("/api/summary")
    def api_summary(
        request: Request,
        from_: Annotated[str | None, Query(alias="from")] = None,
        to: str | None = None,
    ) -> Response:
        _, user = site.api_user(request)
        span = Range.parse(from_, to, site.config.today(), None)
        sales = {
            s["tenant_id"]: s
            for s in site.warehouse.summary(user.groups, start=span.start, end=span.end)
        }
        tenants = []
        for tenant in site.warehouse.visible_tenants(user.groups):
            row = sales.get(tenant, {})
            average = average_order_value(row)
            tenants.append(
                {
                    "tenant_id": tenant,
                    "name": site.config.names.get(tenant, tenant),
                    "currency": row.get("currency_code")
                    or site.warehouse.currency(tenant, user.groups),
                    "orders": int(row.get("orders") or 0),
                    "gross_sales": as_number(row.get("gross_sales")) or 0,
                    "discounts": as_number(row.get("discounts")) or 0,
                    "returns": as_number(row.get("returns")) or 0,
                    "net_sales": as_number(row.get("net_sales")) or 0,
                    "average_order_value": None if average is None else round(average, 2),
                }
            )
        body = {"from": span.start.isoformat(), "to": span.end.isoformat(), "tenants": tenants}
        return Response(json.dumps(body), media_type="application/json")


def _static(app: FastAPI) -> None:

    @app.get("/static/plotly.min.js")
    def _plotly() -> Response:
        return FileResponse(
            plotly_js(),
            media_type="text/javascript",
            headers={"Cache-Control": "public, max-age=86400"},
        )

    @app.get("/static/{name}")
    def _static(name: str) -> Response:
        kinds = {"app.js": "text/javascript", "app.css": "text/css"}
        if name not in kinds:
            raise HTTPException(404, "not found")
        body = (_PACKAGE / "static" / name).read_text()
        return Response(body, media_type=kinds[name])


def average_order_value(totals: Mapping[str, Any]) -> float | None:
    """(Gross sales - discounts) / orders, as Shopify reports it; None without orders."""
    orders = int(totals.get("orders") or 0)
    gross = as_number(totals.get("gross_sales")) or 0
    discounts = as_number(totals.get("discounts")) or 0
    return (gross - discounts) / orders if orders else None


def sales_headline(totals: Mapping[str, Any], currency: str | None) -> list[tuple[str, str]]:
    """Net sales, orders, average order value, discounts and returns of the range."""
    return [
        ("Net sales", money(totals.get("net_sales") or 0, currency)),
        ("Orders", count(int(totals.get("orders") or 0))),
        ("Average order value", money(average_order_value(totals), currency)),
        ("Discounts", money(totals.get("discounts") or 0, currency)),
        ("Returns", money(totals.get("returns") or 0, currency)),
    ]


def inventory_headline(results: Mapping[str, Rows], currency: str | None) -> list[tuple[str, str]]:
    stock, value, low = results["stock_by_location"], results["stock_value"], results["low_stock"]

    def total(rows: Rows, name: str) -> float:
        return sum(as_number(v) or 0 for v in rows.column(name))

    return [
        ("Units on hand", count(total(stock, "on_hand"))),
        ("Units available", count(total(stock, "available"))),
        ("Stock value at cost", money(total(value, "value_at_cost"), currency)),
        ("Low-stock variants", count(len(low.rows)) + ("+" if len(low.rows) >= 50 else "")),
    ]


def customers_headline(results: Mapping[str, Rows]) -> list[tuple[str, str]]:
    weekly = results["customers_weekly"]
    return [
        ("New customers", count(sum(weekly.column("new_customers")))),
        ("Returning customer-weeks", count(sum(weekly.column("returning_customers")))),
    ]
