"""``scripts/check-java``: Spark needs Java 17, and a missing or wrong Java says how to fix it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.paths import SCRIPTS_DIR

SCRIPT = SCRIPTS_DIR / "check-java"
INSTALL_HINT = "apt-get install -y openjdk-17-jre-headless"


def _fake_java(directory: Path, version: str) -> Path:
    bin_dir = directory / "bin"
    bin_dir.mkdir(parents=True)
    java = bin_dir / "java"
    java.write_text(f"#!/bin/sh\necho 'openjdk version \"{version}\" 2025-04-15' >&2\n")
    java.chmod(0o755)
    return bin_dir


def _run(path: str, java_home: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": path} | ({"JAVA_HOME": java_home} if java_home else {})
    return subprocess.run(
        ["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True, check=False
    )


def test_missing_java_says_how_to_install_it(tmp_path: Path) -> None:
    result = _run(str(tmp_path))
    assert result.returncode == 2
    assert "Java 17 is required" in result.stderr
    assert INSTALL_HINT in result.stderr


@pytest.mark.parametrize("version", ["11.0.22", "21.0.3", "1.8.0_392"])
def test_another_java_version_is_refused_with_the_hint(tmp_path: Path, version: str) -> None:
    result = _run(f"{_fake_java(tmp_path, version)}:/usr/bin:/bin")
    assert result.returncode == 2
    assert f"found '{version}'" in result.stderr
    assert INSTALL_HINT in result.stderr


def test_java_17_passes_and_java_home_wins_over_path(tmp_path: Path) -> None:
    path_java = _fake_java(tmp_path / "path", "21.0.3")
    home = tmp_path / "home"
    _fake_java(home, "17.0.15")
    result = _run(f"{path_java}:/usr/bin:/bin", java_home=str(home))
    assert result.returncode == 0, result.stderr
