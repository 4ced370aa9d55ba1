"""Serving the dashboard on 127.0.0.1 (uvicorn), from ``$SHOPSYNC_HOME``."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from fastapi import FastAPI

from shopsync import runtime
from shopsync.settings import Settings
from shopsync.tenants import Registry

from .app import DashboardConfig, create_app, session_key
from .users import ensure_users

HOST = "127.0.0.1"
DEFAULT_PORT = 8050


class PortInUseError(RuntimeError):
    pass


def users_path(settings: Settings) -> Path:
    return settings.home / "dashboard_users.json"


def prepare(settings: Settings, registry: Registry) -> tuple[FastAPI, dict[str, str]]:
    """The app over the local warehouse, and ``{user: password}`` of the users created now
    (one per group of the tenant files, and ``admin``: printed once, stored hashed)."""
    groups = [g for t in registry for g in t.quicksight.groups]
    created = ensure_users(users_path(settings), groups)
    config = DashboardConfig(
        users_path=users_path(settings),
        secret_key=session_key(settings.home / "dashboard_session.key"),
        warehouse_path=settings.warehouse_path,
        names={t.id: t.name for t in registry},
        state=runtime.for_settings(settings).state,
    )
    return create_app(config), created


def _server(app: FastAPI, port: int) -> uvicorn.Server:
    config = uvicorn.Config(
        app, host=HOST, port=port, log_level="warning", access_log=False, lifespan="off"
    )
    return uvicorn.Server(config)


def _check_port(port: int) -> None:
    if port == 0:
        return
    with socket.socket() as probe:
        try:
            probe.bind((HOST, port))
        except OSError:
            raise PortInUseError(
                f"port {port} on {HOST} is in use: choose another with --port"
            ) from None


def serve(app: FastAPI, port: int = DEFAULT_PORT) -> None:
    """Serve until Ctrl-C."""
    _check_port(port)
    _server(app, port).run()


@contextmanager
def running(app: FastAPI, port: int = 0) -> Iterator[str]:
    """The app served in a background thread while the block runs; yields its base URL."""
    _check_port(port)
    server = _server(app, port)
    thread = threading.Thread(target=server.run, name="dashboard", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the dashboard did not start on {HOST}:{port}")
        time.sleep(0.02)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{HOST}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
