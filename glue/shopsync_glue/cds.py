"""A class-data-sharing (CDS) archive for the local Spark JVM.

Every local Spark start reads, parses and verifies some 10,000 classes from Spark's jars. The
JVM can instead map them from an archive it wrote at the exit of an earlier run
(``-XX:ArchiveClassesAtExit``, then ``-XX:SharedArchiveFile``): on a 2-core machine that saves
~0.8 s of start-up and ~3 CPU-seconds of class loading per load job.

The archive is a cache: one per Spark and Java installation, in a directory the caller names.
A run without one writes ``<name>.<pid>.jsa.tmp`` when its JVM exits; a later run promotes a
temporary file that has not changed for :data:`SETTLE_SECONDS` (its writer is done) to the
archive with an atomic rename. The JVM checks an archive against its own version and class
path and ignores one that does not match (``-Xshare:auto``), so a stale or damaged archive
costs the saving, never the run. Archives of other installations are removed; an archive the
JVM keeps rejecting (a JVM killed while writing it) stays until the directory is cleared:
``rm -r`` it if local Spark start-ups get slower again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

#: A temporary archive unchanged this long is complete (the JVM writes it in seconds).
SETTLE_SECONDS = 30.0
#: The archive's own log lines ("Skipping ...: Signed JAR") are noise on every dump.
_QUIET = "-Xlog:cds*=off"


def installation_key(spark_home: Path, java: Path) -> str:
    """Names the archive after what it depends on: Spark's jars and the Java binary."""
    digest = hashlib.sha256()
    for item in [java.resolve(), *sorted((spark_home / "jars").glob("*.jar"))]:
        stat = item.stat()
        digest.update(f"{item}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _promote(cache_dir: Path, archive: Path, now: float) -> None:
    for temporary in sorted(cache_dir.glob(f"{archive.stem}.*.jsa.tmp")):
        try:
            settled = now - temporary.stat().st_mtime >= SETTLE_SECONDS
            if settled and not archive.exists():
                os.replace(temporary, archive)
            elif settled:
                temporary.unlink()
        except FileNotFoundError:  # another process promoted or removed it first
            continue


def _forget_other_installations(cache_dir: Path, key: str) -> None:
    """Archives of an earlier Spark or Java would never be mapped again: remove them."""
    for old in cache_dir.glob("spark-*.jsa*"):
        if not old.name.startswith(f"spark-{key}."):
            old.unlink(missing_ok=True)


def java_options(cache_dir: Path, key: str, *, now: float | None = None) -> list[str]:
    """The JVM options that use the archive, or that write it at exit if there is none."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    archive = cache_dir / f"spark-{key}.jsa"
    _forget_other_installations(cache_dir, key)
    _promote(cache_dir, archive, time.time() if now is None else now)
    if archive.exists():
        return [f"-XX:SharedArchiveFile={archive}", "-Xshare:auto", _QUIET]
    if any(cache_dir.glob(f"{archive.stem}.*.jsa.tmp")):
        return []  # another run is writing it (or has just written it): no second copy
    return [
        f"-XX:ArchiveClassesAtExit={cache_dir / f'{archive.stem}.{os.getpid()}.jsa.tmp'}",
        _QUIET,
    ]


def local_java_options(cache_dir: str | None) -> list[str]:
    """CDS options for the local session, or none without a cache directory or a JVM."""
    if not cache_dir:
        return []
    import pyspark

    java_home = os.environ.get("JAVA_HOME")
    java = Path(java_home) / "bin" / "java" if java_home else None
    found = str(java) if java and java.exists() else shutil.which("java")
    if found is None:
        return []
    key = installation_key(Path(pyspark.__file__).parent, Path(found))
    return java_options(Path(cache_dir), key)
