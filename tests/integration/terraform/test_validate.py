"""`terraform validate` on the root, the bootstrap and every module, with the offline provider.

Validation type-checks every expression against the provider's schema, which parsing the HCL
cannot; a plan (test_deploy_to_moto.py) then catches what only evaluation shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.terraform_stack import TERRAFORM_DIR, Terraform, copy_terraform, missing_tools

pytestmark = pytest.mark.skipif(missing_tools() is not None, reason=str(missing_tools()))

DIRECTORIES = [
    ".",
    "bootstrap",
    *sorted(f"modules/{p.name}" for p in (TERRAFORM_DIR / "modules").iterdir() if p.is_dir()),
]


@pytest.fixture(scope="module")
def copied(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_terraform(tmp_path_factory.mktemp("terraform-validate"))


@pytest.mark.parametrize("directory", DIRECTORIES)
def test_terraform_validates(copied: Path, directory: str, tmp_path: Path) -> None:
    terraform = Terraform(copied / directory, tmp_path / ".terraform")
    terraform.init("-backend=false")
    result = terraform.run("validate", "-json", check=False)
    assert result.returncode == 0, result.stdout
    assert '"valid": true' in result.stdout, result.stdout
