"""``shopsync dashboard``: what it says before it serves, and when it cannot."""

from __future__ import annotations

import socket
from pathlib import Path

from typer.testing import CliRunner

from shopsync import runtime
from shopsync.cli import app


def invoke(home: Path, tenants_dir: Path, *args: str) -> tuple[int, str]:
    runtime.for_settings.cache_clear()
    result = CliRunner().invoke(
        app,
        ["dashboard", "--tenants-dir", str(tenants_dir), *args],
        env={"SHOPSYNC_HOME": str(home), "COLUMNS": "200"},
    )
    runtime.for_settings.cache_clear()
    return result.exit_code, result.output


def test_a_bad_users_file_is_bad_input_naming_it(tmp_path: Path, example_tenants_dir: Path) -> None:
    users = tmp_path / "dashboard_users.json"
    users.write_text('{"ann": {"password_hash": "hunter2", "groups": []}}')
    code, output = invoke(tmp_path, example_tenants_dir)
    flat = output.replace("\n", "")  # the console wraps at its width
    assert code == 2
    assert f"{users}: user 'ann': password_hash" in flat
    assert "hunter2" not in flat


def test_a_port_in_use_is_named_after_the_logins_are_shown(
    tmp_path: Path, example_tenants_dir: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, output = invoke(tmp_path, example_tenants_dir, "--port", str(port))
        again = invoke(tmp_path, example_tenants_dir, "--port", str(port))[1]
    assert code == 1
    assert f"port {port} on 127.0.0.1 is in use: choose another with --port" in " ".join(
        output.split()
    )
    assert "admin" in output  # the logins created on first start, shown once
    assert "acme-analysts" in output
    assert "passwords were printed when created" in " ".join(again.split())
