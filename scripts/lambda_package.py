"""Build dist/lambda.zip (the Lambda functions' deployment package) and the Glue wheel, and check
the zip against Lambda's size limits. Run through ``scripts/package-lambda`` (``make package``).

Target: Lambda's ``python3.11`` runtime on x86_64 (terraform/modules/lambda_function). That
runtime is Amazon Linux 2, whose glibc is 2.26, so every binary wheel in the package must be
``manylinux2014`` (glibc 2.17) or another ``manylinux_2_X`` with X <= 26; a wheel built for a
newer glibc (DuckDB 2's are ``manylinux_2_27``/``2_28``) would install but fail to import. Glue 5,
which installs the wheel built here, runs the same Python 3.11.

The package holds shopsync and its base dependencies (pyproject.toml's ``dependencies``, boto3
included so the package does not depend on the runtime's own copy), plus ``tenants/`` (the
scheduler reads ``/var/task/tenants``). Nothing of the ``local`` extra (DuckDB, Spark, the CLI's
typer and rich) goes in: the functions never import it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIST = ROOT / "dist"
#: Emptied by every build; any other build directory must be empty or absent.
DEFAULT_BUILD = ROOT / "build" / "lambda"

PYTHON_VERSION = "3.11"
#: Amazon Linux 2's glibc is 2.26: wheels for glibc 2.5 to 2.26 load there. pip matches
#: ``manylinux2014`` only against wheels tagged with that legacy name (it adds manylinux2010
#: and manylinux1 itself), so the PEP 600 names are listed too, for wheels that carry only those.
GLIBC = (2, 26)
PLATFORMS = (
    "manylinux2014_x86_64",
    *(f"manylinux_2_{minor}_x86_64" for minor in range(GLIBC[1], 4, -1)),
)

MB = 1024 * 1024  # Lambda's "MB" (250 MB unzipped = 262,144,000 bytes)
#: A zip uploaded directly (CreateFunction/UpdateFunctionCode with the zip itself, as terraform
#: does with ``filename``); through S3 the limit would be the unzipped one only.
ZIPPED_LIMIT = 50 * MB
#: The function's code (and layers, which shopsync has none of) once unzipped.
UNZIPPED_LIMIT = 250 * MB

#: Copied into the package beside the installed code (the scheduler reads /var/task/tenants).
DATA_DIRS = ("tenants",)
#: Nothing at run time reads these: bytecode caches (pip's, or left by a test), and the console
#: scripts pip installs into the target's top-level ``bin/``.
DROPPED_DIRS = ("__pycache__",)
DROPPED_TOP_LEVEL = ("bin",)
#: Every entry gets this date, so the same files make the same zip.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
SOURCE_DATE_EPOCH = 315532800  # ZIP_DATE, for the wheel


class PackageError(Exception):
    """The package could not be built, or is not deployable as built."""


@dataclass(frozen=True)
class Sizes:
    zipped: int
    unzipped: int


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB"


def _limit(size: int) -> str:
    return f"{size / MB:g} MB"


def measure(zip_path: Path) -> Sizes:
    with zipfile.ZipFile(zip_path) as zf:
        unzipped = sum(info.file_size for info in zf.infolist())
    return Sizes(zipped=zip_path.stat().st_size, unzipped=unzipped)


def describe(zip_path: Path | str, sizes: Sizes) -> str:
    return (
        f"{zip_path}: {_mb(sizes.zipped)} zipped, {_mb(sizes.unzipped)} unzipped "
        f"(limits {_limit(ZIPPED_LIMIT)} / {_limit(UNZIPPED_LIMIT)})"
    )


def size_problems(
    sizes: Sizes, *, zipped_limit: int = ZIPPED_LIMIT, unzipped_limit: int = UNZIPPED_LIMIT
) -> list[str]:
    """What makes a package of these sizes undeployable; empty when it fits."""
    problems = []
    if sizes.zipped > zipped_limit:
        problems.append(
            f"{_mb(sizes.zipped)} zipped is over Lambda's {_limit(zipped_limit)} limit "
            "for a zip uploaded directly"
        )
    if sizes.unzipped > unzipped_limit:
        problems.append(
            f"{_mb(sizes.unzipped)} unzipped is over Lambda's {_limit(unzipped_limit)} limit "
            "for a function's unzipped code"
        )
    return problems


def largest(zip_path: Path, count: int = 8) -> list[tuple[str, int]]:
    """The top-level entries (packages, mostly) taking the most room unzipped."""
    sizes: Counter[str] = Counter()
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            sizes[info.filename.split("/", 1)[0]] += info.file_size
    return sizes.most_common(count)


def distributions(build: Path) -> list[str]:
    """``name version`` of each distribution installed into ``build``."""
    found = []
    for info in sorted(build.glob("*.dist-info"), key=lambda p: p.name.lower()):
        name, _, version = info.name.removesuffix(".dist-info").partition("-")
        found.append(f"{name} {version}")
    return found


def _run(args: Sequence[str | Path], what: str, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(a) for a in args], env=env, check=False)  # noqa: S603 - our pip
    if result.returncode:
        raise PackageError(f"{what} failed (exit {result.returncode}): {' '.join(map(str, args))}")


def _pip(*args: str | Path) -> list[str | Path]:
    return [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input", *args]


def build_wheel(dist: Path) -> Path:
    """shopsync's wheel, without dependencies (Glue installs it with them), into ``dist``.

    Built from a copy of the sources so that setuptools' ``build/`` and ``*.egg-info`` stay out
    of the work tree (two builds at once do not trip over each other, a deleted module cannot
    linger in a stale ``build/lib``).
    """
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    sources = [
        "pyproject.toml",
        config["project"]["readme"],
        *config["tool"]["setuptools"]["packages"]["find"]["where"],
    ]
    for old in dist.glob("shopsync-*.whl"):
        old.unlink()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    with tempfile.TemporaryDirectory(prefix="shopsync-src-") as tmp:
        for name in sources:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, Path(tmp) / name, ignore=ignore)
            else:
                shutil.copy2(source, Path(tmp) / name)
        _run(
            _pip("wheel", "--quiet", "--no-deps", "--wheel-dir", dist, tmp),
            "pip wheel",
            # the wheel's entries dated like the zip's: the same sources give the same wheel
            env=os.environ | {"SOURCE_DATE_EPOCH": str(SOURCE_DATE_EPOCH)},
        )
    wheels = sorted(dist.glob("shopsync-*.whl"))
    if len(wheels) != 1:
        raise PackageError(f"expected one shopsync wheel in {dist}, found {wheels}")
    return wheels[0]


def install(wheel: Path, build: Path) -> None:
    """``wheel`` and its dependencies as the Lambda runtime needs them, into ``build``."""
    platforms = [arg for platform in PLATFORMS for arg in ("--platform", platform)]
    _run(
        _pip(
            "install",
            "--quiet",
            "--no-compile",
            "--target",
            build,
            "--implementation",
            "cp",
            "--python-version",
            PYTHON_VERSION,
            *platforms,
            "--only-binary=:all:",
            wheel,
        ),
        "pip install for the Lambda runtime",
    )
    for name in DATA_DIRS:
        shutil.copytree(ROOT / name, build / name)
    for name in DROPPED_TOP_LEVEL:
        shutil.rmtree(build / name, ignore_errors=True)
    _drop_direct_url(build, wheel)
    for name in DROPPED_DIRS:
        for found in sorted(build.rglob(name), reverse=True):
            if found.is_dir():
                shutil.rmtree(found)


def _drop_direct_url(build: Path, wheel: Path) -> None:
    """pip records where it installed shopsync from (PEP 610: this machine's path to the wheel
    and the wheel's hash); nothing reads it at run time and it would make every zip differ."""
    name, version = wheel.name.split("-")[:2]
    info = build / f"{name}-{version}.dist-info"
    (info / "direct_url.json").unlink(missing_ok=True)
    record = info / "RECORD"
    lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(f"{info.name}/direct_url.json,")]
    record.write_text("".join(kept), encoding="utf-8")


def write_zip(build: Path, zip_path: Path) -> None:
    """Zip ``build``'s files in name order, with one date and plain modes: the same files give
    the same bytes (terraform redeploys on the zip's hash). Written beside ``zip_path`` and moved
    into place, so a failed build leaves no half zip."""
    partial = zip_path.with_name(zip_path.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(p for p in build.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(build).as_posix(), date_time=ZIP_DATE)
            executable = path.stat().st_mode & stat.S_IXUSR
            info.external_attr = (stat.S_IFREG | (0o755 if executable else 0o644)) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with path.open("rb") as src, zf.open(info, "w") as dst:
                shutil.copyfileobj(src, dst, 1024 * 1024)
    partial.replace(zip_path)


def check(
    zip_path: Path, *, zipped_limit: int = ZIPPED_LIMIT, unzipped_limit: int = UNZIPPED_LIMIT
) -> Sizes:
    """The zip's sizes; raises :class:`PackageError` when Lambda would refuse it."""
    sizes = measure(zip_path)
    problems = size_problems(sizes, zipped_limit=zipped_limit, unzipped_limit=unzipped_limit)
    if problems:
        biggest = ", ".join(f"{name} {_mb(size)}" for name, size in largest(zip_path))
        raise PackageError(
            f"{zip_path} is too big for Lambda: {'; '.join(problems)}.\n"
            f"Largest unzipped: {biggest}. Is a dependency that only local runs need "
            "in pyproject.toml's base dependencies instead of an extra?"
        )
    return sizes


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--dist",
        type=Path,
        default=Path(os.environ.get("SHOPSYNC_DIST_DIR", DEFAULT_DIST)),
        help="where lambda.zip and the wheel go (default: dist/, or $SHOPSYNC_DIST_DIR)",
    )
    parser.add_argument(
        "--build",
        type=Path,
        default=Path(os.environ.get("SHOPSYNC_LAMBDA_BUILD_DIR", DEFAULT_BUILD)),
        help="where the package is assembled before zipping: empty or absent, except the "
        "default build/lambda/, which is emptied (or $SHOPSYNC_LAMBDA_BUILD_DIR)",
    )
    args = parser.parse_args(argv)
    dist: Path = args.dist.resolve()
    build: Path = args.build.resolve()
    zip_path = dist / "lambda.zip"
    if build == DEFAULT_BUILD:
        shutil.rmtree(build, ignore_errors=True)
    elif build.exists() and any(build.iterdir()):
        print(f"error: the build directory {build} must be empty or absent", file=sys.stderr)
        return 2
    build.mkdir(parents=True, exist_ok=True)
    dist.mkdir(parents=True, exist_ok=True)
    zip_path.unlink(missing_ok=True)
    try:
        wheel = build_wheel(dist)
        install(wheel, build)
        write_zip(build, zip_path)
        sizes = check(zip_path)
    except PackageError as exc:
        zip_path.unlink(missing_ok=True)
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(describe(_shown(zip_path), sizes))
    print(f"bundled: {', '.join(distributions(build))}")
    print(f"Glue wheel: {_shown(wheel)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
