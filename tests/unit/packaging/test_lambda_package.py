"""``scripts/package-lambda`` (``make package``): dist/lambda.zip fits Lambda's limits, holds no
local-only dependency, and its handlers import from the zip alone.

The slow tests build the real package (pip fetches the wheels from the index, or its cache): a
pip that cannot reach the index fails them, it does not skip them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.paths import EXAMPLE_TENANTS_DIR, REPO_ROOT, SCRIPTS_DIR

SCRIPT = SCRIPTS_DIR / "package-lambda"
MB = 1024 * 1024

#: What only local runs need (the ``local`` and ``spark`` extras and what they pull in).
LOCAL_ONLY = ("duckdb", "pyspark", "py4j", "typer", "rich", "click", "pygments")
#: The handlers, and what they import only when called (state, storage, secrets, tracing).
RUNTIME_MODULES = (
    "shopsync.handlers.ingestion",
    "shopsync.handlers.scheduler",
    "shopsync.state.dynamodb",
    "shopsync.storage.s3",
    "aws_lambda_powertools.utilities.parameters",
    "aws_xray_sdk.core",
)
#: Amazon Linux 2 (Lambda's python3.11 runtime) has glibc 2.26.
RUNTIME_GLIBC_MINOR = 26


def _load_script_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "lambda_package", REPO_ROOT / "scripts" / "lambda_package.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


lp = _load_script_module()


# -- the size check, fast ----------------------------------------------------------------------


def test_sizes_within_the_limits_are_no_problem() -> None:
    assert lp.size_problems(lp.Sizes(zipped=50 * MB, unzipped=250 * MB)) == []


def test_a_zip_over_the_direct_upload_limit_names_it() -> None:
    (problem,) = lp.size_problems(lp.Sizes(zipped=60 * MB, unzipped=140 * MB))
    assert problem == ("60.0 MB zipped is over Lambda's 50 MB limit for a zip uploaded directly")


def test_unzipped_code_over_the_limit_names_it() -> None:
    (problem,) = lp.size_problems(lp.Sizes(zipped=40 * MB, unzipped=251 * MB))
    assert "251.0 MB unzipped is over Lambda's 250 MB limit" in problem


def test_the_printed_line_gives_both_sizes_and_limits() -> None:
    sizes = lp.Sizes(zipped=round(21.3 * MB), unzipped=round(98.7 * MB))
    assert lp.describe("dist/lambda.zip", sizes) == (
        "dist/lambda.zip: 21.3 MB zipped, 98.7 MB unzipped (limits 50 MB / 250 MB)"
    )


def test_check_refuses_an_oversized_zip_and_says_what_takes_the_room(tmp_path: Path) -> None:
    build = tmp_path / "build"
    (build / "bigpkg").mkdir(parents=True)
    (build / "bigpkg" / "blob.bin").write_bytes(os.urandom(4096))  # does not compress
    (build / "small.py").write_text("x = 1\n")
    zip_path = tmp_path / "lambda.zip"
    lp.write_zip(build, zip_path)

    assert lp.check(zip_path).unzipped == 4096 + 6
    with pytest.raises(lp.PackageError) as raised:
        lp.check(zip_path, zipped_limit=1024)
    message = str(raised.value)
    assert f"{zip_path} is too big for Lambda" in message
    assert "zipped is over Lambda's" in message
    assert "limit for a zip uploaded directly" in message
    assert "Largest unzipped: bigpkg 0.0 MB, small.py 0.0 MB." in message


def test_the_zip_is_the_same_bytes_for_the_same_files(tmp_path: Path) -> None:
    build = tmp_path / "build"
    (build / "pkg").mkdir(parents=True)
    (build / "pkg" / "__init__.py").write_text("")
    (build / "pkg" / "mod.py").write_text("y = 2\n")
    lp.write_zip(build, tmp_path / "a.zip")
    os.utime(build / "pkg" / "mod.py", (0, 0))
    lp.write_zip(build, tmp_path / "b.zip")
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_a_build_directory_that_is_not_empty_is_left_alone(tmp_path: Path) -> None:
    keep = tmp_path / "mine.txt"
    keep.write_text("not a build")
    assert lp.main(["--dist", str(tmp_path / "dist"), "--build", str(tmp_path)]) == 2
    assert keep.read_text() == "not a build"
    assert not (tmp_path / "dist").exists()


# -- the real package, slow --------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    output: str
    dist: Path
    zip_path: Path
    names: list[str]
    unzipped: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """One run of scripts/package-lambda into temporary directories (dist/ is not touched)."""
    tmp = tmp_path_factory.mktemp("lambda-package")
    dist = tmp / "dist"
    result = subprocess.run(
        [str(SCRIPT), "--dist", str(dist), "--build", str(tmp / "build")],
        env=os.environ | {"PYTHON": sys.executable},
        capture_output=True,
        text=True,
        check=False,
        timeout=280,
    )
    assert result.returncode == 0, f"package-lambda failed:\n{result.stdout}\n{result.stderr}"
    zip_path = dist / "lambda.zip"
    unzipped = tmp / "unzipped"
    with zipfile.ZipFile(zip_path) as zf:
        names = zf.namelist()
        zf.extractall(unzipped)
    return Built(result.stdout, dist, zip_path, names, unzipped)


@pytest.mark.slow
def test_the_package_fits_lambdas_limits_and_says_its_sizes(built: Built) -> None:
    zipped = built.zip_path.stat().st_size
    with zipfile.ZipFile(built.zip_path) as zf:
        unzipped = sum(info.file_size for info in zf.infolist())
    assert zipped <= 50 * MB
    assert unzipped <= 250 * MB
    line = re.search(
        r"lambda\.zip: ([\d.]+) MB zipped, ([\d.]+) MB unzipped \(limits 50 MB / 250 MB\)",
        built.output,
    )
    assert line, built.output
    assert float(line[1]) == pytest.approx(zipped / MB, abs=0.05)
    assert float(line[2]) == pytest.approx(unzipped / MB, abs=0.05)


@pytest.mark.slow
def test_the_package_holds_no_local_only_dependency(built: Built) -> None:
    top_level = {name.split("/", 1)[0] for name in built.names}
    for name in LOCAL_ONLY:
        assert not any(t == name or t.startswith((f"{name}-", f"{name}.")) for t in top_level), name
    assert "shopsync" in top_level
    assert "boto3" in top_level  # bundled, not the runtime's own copy
    assert not [n for n in built.names if "__pycache__" in n or n.endswith(".pyc")]
    assert not [n for n in built.names if n.startswith("bin/")]
    assert not [n for n in built.names if n.endswith("/direct_url.json")]  # no build paths


@pytest.mark.slow
def test_the_package_holds_the_tenant_files(built: Built) -> None:
    expected = {f"tenants/{p.name}" for p in EXAMPLE_TENANTS_DIR.glob("*.yaml")}
    assert expected
    assert expected <= set(built.names)


@pytest.mark.slow
def test_every_file_is_readable_by_the_runtime(built: Built) -> None:
    with zipfile.ZipFile(built.zip_path) as zf:
        modes = {info.filename: (info.external_attr >> 16) & 0o777 for info in zf.infolist()}
    assert {name for name, mode in modes.items() if mode & 0o444 != 0o444} == set()


@pytest.mark.slow
def test_native_code_needs_no_newer_glibc_than_amazon_linux_2(built: Built) -> None:
    libraries = sorted(p for p in built.unzipped.rglob("*.so*") if p.is_file())
    assert libraries  # pydantic-core at least
    for library in libraries:
        needed = {int(m) for m in re.findall(rb"GLIBC_2\.(\d+)", library.read_bytes())}
        assert max(needed, default=0) <= RUNTIME_GLIBC_MINOR, library


@pytest.mark.slow
def test_the_glue_wheel_is_built_beside_the_zip(built: Built) -> None:
    assert [p.name for p in built.dist.glob("*.whl")] == ["shopsync-0.1.0-py3-none-any.whl"]


_CLEAN_IMPORT = """
import importlib, json, os, sys
root = sys.argv[1]
modules = sys.argv[2:]
# no site-packages: -S, and the current directory dropped; only the unzipped package and the
# standard library remain
sys.path[:] = [root, *(p for p in sys.path if p)]
stdlib = sys.path[1:]
assert sys.flags.no_site and sys.flags.ignore_environment and sys.flags.no_user_site
assert not [p for p in sys.path if "site-packages" in p or "dist-packages" in p], sys.path
for name in modules:
    importlib.import_module(name)
from pathlib import Path
from shopsync.handlers import ingestion, scheduler
from shopsync.tenants import load_registry
from yaml import CSafeLoader  # libyaml's binding, from the manylinux wheel
outside = sorted(
    name
    for name, module in list(sys.modules.items())
    if (path := getattr(module, "__file__", None))
    and not path.startswith(root + os.sep)
    and not any(path.startswith(p + os.sep) for p in stdlib)
)
print(json.dumps({
    "handlers": [callable(ingestion.handler), callable(scheduler.handler)],
    "tenants": list(load_registry(Path(root, "tenants")).ids),
    "outside": outside,
    "local_only": sorted(n for n in sys.modules if n.split(".")[0] in {local_only}),
}))
"""


@pytest.mark.slow
def test_the_handlers_import_from_the_package_alone(built: Built) -> None:
    code = _CLEAN_IMPORT.replace("{local_only}", repr(set(LOCAL_ONLY)))
    result = subprocess.run(
        [sys.executable, "-S", "-E", "-s", "-c", code, str(built.unzipped), *RUNTIME_MODULES],
        cwd=built.unzipped,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["handlers"] == [True, True]
    assert found["outside"] == []
    assert found["local_only"] == []
    expected = sorted(p.stem for p in EXAMPLE_TENANTS_DIR.glob("*.yaml"))
    assert sorted(found["tenants"]) == expected
