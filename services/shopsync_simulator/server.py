"""The simulator's HTTP server: every tenant's shop behind one threaded HTTP/1.1 listener.

``POST /admin/api/<version>/graphql.json`` picks the shop by ``Host`` (``<name>.myshopify.com``)
or by the prefix ``/shops/<shop>/admin/api/...``; ``/_simulator/...`` is the control endpoint.
Keep-alive (HTTP/1.1) and TCP_NODELAY, so the simulator adds no latency Shopify would not.
"""

from __future__ import annotations

import hmac
import json
import secrets
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import wrap_file

from shopsync_simulator import control
from shopsync_simulator.bulk.runner import BulkManager
from shopsync_simulator.bulk.timing import INSTANT, BulkTiming
from shopsync_simulator.faults import FaultInjector, FaultProfile
from shopsync_simulator.graphql.bucket import LeakyBucket
from shopsync_simulator.graphql.endpoint import (
    COST_FIELDS_HEADERS,
    run_graphql,
    wants_cost_fields,
)
from shopsync_simulator.graphql.schema import DEFAULT_SCOPES, resolve_version
from shopsync_simulator.httpd import RESET_KEY, HTTPHost
from shopsync_simulator.rest.api import handle_rest, rest_bucket
from shopsync_simulator.shop import ShopRuntime
from shopsync_simulator.store.clock import Clock
from shopsync_simulator.store.config import ShopSpec
from shopsync_simulator.store.store import Store
from shopsync_simulator.tokens import ensure_tokens

INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"  # noqa: S105


@dataclass
class SimulatorOptions:
    speed: float = 1.0
    rate_limits: bool = True
    throttle_status_code: int = 200  # 429 adds Retry-After
    scopes: dict[str, frozenset[str]] = field(default_factory=dict)  # per tenant, else default
    faults: dict[str, FaultProfile] = field(default_factory=dict)  # per tenant ("*": all)
    #: How fast bulk operations produce results (:mod:`.bulk.timing`): as fast as the
    #: simulator can unless asked (``serve`` and the demo use ``REALISTIC``).
    bulk_timing: BulkTiming = INSTANT


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> Response:
    data = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    headers = (headers or {}) | {"X-Request-Id": uuid.uuid4().hex}
    return Response(data, status, headers=headers, content_type="application/json; charset=utf-8")


class Simulator:
    """Shops for the given specs; ``start()`` serves them on 127.0.0.1 in a background thread."""

    def __init__(
        self,
        specs: Iterable[ShopSpec],
        secrets_path: Path,
        options: SimulatorOptions | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.options = options or SimulatorOptions()
        specs = list(specs)
        tokens = ensure_tokens(secrets_path, [s.tenant_id for s in specs])
        signing_key = secrets.token_bytes(32)
        bulk_root = Path(tempfile.mkdtemp(prefix="shopsync-bulk-"))
        self._bulk_root = bulk_root
        self.by_tenant: dict[str, ShopRuntime] = {}
        self.by_shop: dict[str, ShopRuntime] = {}
        for spec in specs:
            store = Store(spec, clock)
            scopes = self.options.scopes.get(spec.tenant_id, DEFAULT_SCOPES)
            runtime = ShopRuntime(
                spec=spec,
                store=store,
                bucket=LeakyBucket.for_plan(
                    spec.plan, speed=self.options.speed, enabled=self.options.rate_limits
                ),
                token=tokens[spec.tenant_id],
                faults=FaultInjector(
                    self.options.faults.get(spec.tenant_id, self.options.faults.get("*")),
                    seed=spec.effective_seed,
                ),
                rest_bucket=rest_bucket(spec.plan, self.options.speed, self.options.rate_limits),
                bulks=BulkManager(
                    store, bulk_root / spec.tenant_id, lambda: self.url, signing_key, scopes
                ),
                scopes=scopes,
            )
            runtime.bulks.faults = runtime.faults
            runtime.bulks.timing, runtime.bulks.speed = self.options.bulk_timing, self.options.speed
            if spec.shop in self.by_shop or spec.tenant_id in self.by_tenant:
                raise ValueError(f"duplicate tenant or shop: {spec.tenant_id} / {spec.shop}")
            self.by_tenant[spec.tenant_id] = runtime
            self.by_shop[spec.shop] = runtime
        self._host: HTTPHost | None = None

    # -- lifecycle --------------------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve in a background thread (port 0: a free port, see :attr:`port`)."""
        self._host = HTTPHost(self.wsgi, host, port)
        self._host.start()

    def serve_forever(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = HTTPHost(self.wsgi, host, port)
        self._host.serve_forever()

    def stop(self) -> None:
        if self._host is not None:
            self._host.stop()
        self._host = None
        for runtime in self.by_tenant.values():
            runtime.bulks.close()
        shutil.rmtree(self._bulk_root, ignore_errors=True)

    @property
    def port(self) -> int:
        if self._host is None:
            raise RuntimeError("the simulator is not running")
        return self._host.port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def shop_url(self, tenant_id: str) -> str:
        """Base URL for clients that cannot set ``Host``: ``<url>/shops/<shop>``."""
        return f"{self.url}/shops/{self.by_tenant[tenant_id].spec.shop}"

    def graphql_url(self, tenant_id: str, version: str = "2026-10") -> str:
        return f"{self.shop_url(tenant_id)}/admin/api/{version}/graphql.json"

    def token(self, tenant_id: str) -> str:
        return self.by_tenant[tenant_id].token

    def store(self, tenant_id: str) -> Store:
        return self.by_tenant[tenant_id].store

    def grant(self, tenant_id: str, scopes: frozenset[str]) -> None:
        """Grant the tenant's token exactly ``scopes`` from now on."""
        self.by_tenant[tenant_id].grant(scopes)

    # -- WSGI -------------------------------------------------------------------------------
    def wsgi(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        try:
            response = self._dispatch(request)
        except Exception:  # the simulator must answer like a server, never drop the socket
            response = _json(500, {"errors": "Internal Server Error"})
        return response(environ, start_response)

    def _dispatch(self, request: Request) -> Response:  # noqa: PLR0912
        path = request.path
        shop_name: str | None = None
        if path.startswith("/shops/"):
            shop_name, _, tail = path[len("/shops/") :].partition("/")
            path = "/" + tail
        if path.startswith("/_simulator/"):
            return self._control(request, path)
        if path.startswith("/bulk-files/") and shop_name is None:
            return self._bulk_file(request, path)
        if shop_name is None:
            shop_name = request.host.rsplit(":", 1)[0] if request.host else ""
        if not shop_name.endswith(".myshopify.com"):
            shop_name += ".myshopify.com"
        parts = path.strip("/").split("/")
        rest = parts == ["admin", "oauth", "access_scopes.json"]
        # /admin/api/<v>/<resource>.json, and /<resource>/<id>.json or /<resource>/count.json
        api = len(parts) in (4, 5) and parts[:2] == ["admin", "api"] and parts[-1].endswith(".json")
        shop = self.by_shop.get(shop_name)
        if not (rest or api) or shop is None:
            return _json(404, {"errors": "Not Found"})
        version = resolve_version(parts[2]) if api else resolve_version("")
        headers = {"X-Shopify-API-Version": version}
        token = request.headers.get("X-Shopify-Access-Token", "")
        if not hmac.compare_digest(token.encode(), shop.token.encode()):
            return _json(401, {"errors": INVALID_TOKEN}, headers)
        graphql = api and parts[3:] == ["graphql.json"]
        fault = shop.faults.draw()
        if fault is not None:
            early = self._fault(fault, shop, request, headers, graphql=graphql)
            if early is not None:
                return early
        if graphql:
            response = self._graphql(request, shop, version, headers)
        elif request.method != "GET":
            response = _json(405, {"errors": "Method Not Allowed"}, headers)
        else:
            prefix = "" if request.path == path else f"/shops/{shop.spec.shop}"
            link_base = f"{request.host_url.rstrip('/')}{prefix}/admin/api/{version}"
            resource = "/".join(parts[3:]) if api else parts[-1]
            answer = handle_rest(
                shop.store, shop.rest_bucket, resource, request.args, shop.scopes, link_base
            )
            response = _json(answer.status, answer.body, headers | answer.headers)
        if fault == "truncate":
            data = response.get_data()
            response.set_data(data[: max(1, len(data) // 2)])
        return response

    def _graphql(
        self, request: Request, shop: ShopRuntime, version: str, headers: dict[str, str]
    ) -> Response:
        if request.method != "POST":
            return _json(405, {"errors": "Method Not Allowed"}, headers)
        if request.mimetype != "application/json":
            return _json(400, {"errors": "Content-Type must be application/json"}, headers)
        try:
            payload = json.loads(request.get_data())
        except ValueError:
            return _json(400, {"errors": "Invalid JSON in request body"}, headers)
        shop.requests += 1
        answer = run_graphql(
            shop.store,
            shop.bucket,
            version,
            payload,
            shop.scopes,
            throttle_status_code=self.options.throttle_status_code,
            bulks=shop.bulks,
            cost_fields=wants_cost_fields(*map(request.headers.get, COST_FIELDS_HEADERS)),
        )
        return _json(answer.status, answer.body, headers | answer.headers)

    def _fault(  # noqa: PLR0911
        self, fault: str, shop: ShopRuntime, request: Request, headers: dict[str, str], *,
        graphql: bool,
    ) -> Response | None:  # fmt: skip
        """The response an injected fault replaces the real one with (None: serve it)."""
        if fault == "locked":
            return _json(423, {"errors": "Locked"}, headers)
        if fault == "revoked":
            return _json(401, {"errors": INVALID_TOKEN}, headers)
        if fault == "reset":
            request.environ[RESET_KEY] = True
            return Response(b"", 500)
        if fault == "server_error":
            status = shop.faults.pick((500, 502, 503))
            body = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
            return _json(status, {"errors": body[status]}, headers)
        if fault == "http_429" or (fault == "throttle" and not graphql):
            retry = {"Retry-After": f"{max(2.0 / self.options.speed, 0.001):.3f}"}
            return _json(
                429, {"errors": "Exceeded 2 calls per second for api client."}, headers | retry
            )
        if fault == "throttle":
            error = {"message": "Throttled", "extensions": {"code": "THROTTLED",
                     "documentation": "https://shopify.dev/api/usage/rate-limits"}}  # fmt: skip
            cost = {"requestedQueryCost": None, "actualQueryCost": None,
                    "throttleStatus": shop.bucket.status()}  # fmt: skip
            return _json(200, {"errors": [error], "extensions": {"cost": cost}}, headers)
        if fault == "slow":
            time.sleep(shop.faults.profile.slow_seconds / self.options.speed)
        return None

    def _bulk_file(self, request: Request, path: str) -> Response:
        """A bulk result: a signed, expiring link that needs no access token."""
        parts = path.split("/")  # ['', 'bulk-files', shop, '<n>.jsonl']
        shop = self.by_shop.get(parts[2]) if len(parts) == 4 else None
        number = parts[3].removesuffix(".jsonl") if shop else ""
        ops = shop.bulks.operations if shop else []
        args = request.args
        if (
            shop is None
            or not number.isdigit()
            or int(number) >= len(ops)
            or not shop.bulks.verify(path, args.get("expires", ""), args.get("signature", ""))
        ):
            return Response(
                b"<Error><Code>AccessDenied</Code></Error>", 403, content_type="application/xml"
            )
        file_path = shop.bulks.path(ops[int(number)])
        headers = {
            "Content-Length": str(file_path.stat().st_size),
            "Content-Disposition": args.get("response-content-disposition", "attachment"),
        }
        fh = file_path.open("rb")
        return Response(wrap_file(request.environ, fh), 200, headers=headers,
                        content_type="application/jsonl", direct_passthrough=True)  # fmt: skip

    def _control(self, request: Request, path: str) -> Response:
        parts = path.strip("/").split("/")[1:]
        body: Any = None
        if request.method == "POST" and request.content_length:
            try:
                body = json.loads(request.get_data())
            except ValueError:
                return _json(400, {"errors": "Invalid JSON in request body"})
        try:
            status, payload, content_type = control.handle(
                self.by_tenant, request.method, parts, body
            )
        except control.ControlError as exc:
            return _json(exc.status, {"errors": str(exc)})
        if content_type == "application/json":
            return _json(status, payload)
        return Response(payload, status, content_type=content_type)
