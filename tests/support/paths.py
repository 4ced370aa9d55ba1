"""Where things are in the repository, for tests and benchmarks."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_TENANTS_DIR = REPO_ROOT / "tenants"
GOLDEN_DIR = REPO_ROOT / "tests" / "golden"
SCRIPTS_DIR = REPO_ROOT / "scripts"
TERRAFORM_DIR = REPO_ROOT / "terraform"
SHOPIFY_SCHEMAS_DIR = REPO_ROOT / "services" / "shopsync" / "schemas"
