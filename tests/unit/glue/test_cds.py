"""The local Spark JVM's class-data-sharing archive: written once, promoted once, then used."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from shopsync_glue import cds

KEY = "0123456789abcdef"
NOW = 1_800_000_000.0


def _tmp(cache: Path, pid: int, age: float) -> Path:
    path = cache / f"spark-{KEY}.{pid}.jsa.tmp"
    path.write_bytes(b"archive")
    os.utime(path, (NOW - age, NOW - age))
    return path


def test_without_an_archive_the_jvm_writes_one_at_exit(tmp_path: Path) -> None:
    options = cds.java_options(tmp_path / "cache", KEY, now=NOW)
    assert options == [
        f"-XX:ArchiveClassesAtExit={tmp_path / 'cache'}/spark-{KEY}.{os.getpid()}.jsa.tmp",
        "-Xlog:cds*=off",
    ]


def test_an_archive_still_being_written_is_left_alone(tmp_path: Path) -> None:
    writing = _tmp(tmp_path, 41, age=2)
    assert cds.java_options(tmp_path, KEY, now=NOW) == []
    assert writing.exists()
    assert not (tmp_path / f"spark-{KEY}.jsa").exists()


def test_a_settled_archive_is_promoted_and_used(tmp_path: Path) -> None:
    _tmp(tmp_path, 41, age=cds.SETTLE_SECONDS + 1)
    archive = tmp_path / f"spark-{KEY}.jsa"
    assert cds.java_options(tmp_path, KEY, now=NOW) == [
        f"-XX:SharedArchiveFile={archive}",
        "-Xshare:auto",
        "-Xlog:cds*=off",
    ]
    assert archive.read_bytes() == b"archive"
    assert list(tmp_path.glob("*.tmp")) == []


def test_a_second_settled_copy_is_removed_not_promoted_over_the_first(tmp_path: Path) -> None:
    archive = tmp_path / f"spark-{KEY}.jsa"
    archive.write_bytes(b"first")
    _tmp(tmp_path, 42, age=cds.SETTLE_SECONDS + 5)
    assert cds.java_options(tmp_path, KEY, now=NOW)[0] == f"-XX:SharedArchiveFile={archive}"
    assert archive.read_bytes() == b"first"
    assert list(tmp_path.glob("*.tmp")) == []


def test_the_key_follows_the_jars_and_the_java_binary(tmp_path: Path) -> None:
    (tmp_path / "jars").mkdir()
    jar, java = tmp_path / "jars" / "spark-core.jar", tmp_path / "java"
    jar.write_bytes(b"v1")
    java.write_bytes(b"jvm")
    first = cds.installation_key(tmp_path, java)
    assert cds.installation_key(tmp_path, java) == first
    jar.write_bytes(b"v2, longer")
    assert cds.installation_key(tmp_path, java) != first


def test_no_cache_directory_means_no_archive() -> None:
    assert cds.local_java_options(None) == []
    assert cds.local_java_options("") == []


@pytest.mark.skipif(shutil.which("java") is None, reason="needs a JVM")
def test_this_jvm_writes_and_then_maps_an_archive_with_these_options(tmp_path: Path) -> None:
    java = shutil.which("java")
    assert java is not None
    write = cds.java_options(tmp_path, KEY, now=NOW)
    subprocess.run([java, *write, "-version"], check=True, capture_output=True)
    later = NOW + cds.SETTLE_SECONDS + 1
    os.utime(next(tmp_path.glob("*.tmp")), (NOW, NOW))
    use = cds.java_options(tmp_path, KEY, now=later)
    assert use[0].startswith("-XX:SharedArchiveFile=")
    # -Xshare:on fails instead of falling back when the archive cannot be mapped.
    strict = [o.replace("-Xshare:auto", "-Xshare:on") for o in use]
    subprocess.run([java, *strict, "-version"], check=True, capture_output=True)


def test_archives_of_other_installations_are_removed(tmp_path: Path) -> None:
    old = tmp_path / "spark-fedcba9876543210.jsa"
    old.write_bytes(b"old spark")
    (tmp_path / "spark-fedcba9876543210.7.jsa.tmp").write_bytes(b"old spark")
    (tmp_path / "notes.txt").write_text("kept")
    cds.java_options(tmp_path, KEY, now=NOW)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
