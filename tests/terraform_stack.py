"""Run the real Terraform against a moto server on 127.0.0.1, with the offline aws provider.

The stack is copied (with the files it reads by relative path: the event patterns, the tenant
files) into a work directory, and a ``moto_override.tf`` points the aws provider at the moto
server with fake keys and a local backend. Nothing reaches AWS or the registry: ``terraform
init -plugin-dir`` installs the provider from the machine's offline plugin directory.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from tests.support.paths import EXAMPLE_TENANTS_DIR, REPO_ROOT, TERRAFORM_DIR

#: Where machine images keep offline provider mirrors; SHOPSYNC_TF_PLUGIN_DIR comes first.
PLUGIN_DIR_CANDIDATES = (
    "/opt/tf-plugins",
    "/usr/share/terraform/plugins",
    "/usr/local/share/terraform/plugins",
    str(Path.home() / ".terraform.d" / "plugins"),
    str(Path.home() / ".local" / "share" / "terraform" / "plugins"),
)

#: Every service the stack calls, by the aws provider's endpoint names.
MOTO_SERVICES = (
    "cloudtrail",
    "cloudwatchlogs",
    "dynamodb",
    "ec2",
    "events",
    "glue",
    "iam",
    "kms",
    "lambda",
    "quicksight",
    "redshiftserverless",
    "s3",
    "scheduler",
    "secretsmanager",
    "sqs",
    "sts",
)

REGION = "eu-west-1"
ACCOUNT_ID = "123456789012"  # moto's default account


def terraform_binary() -> str | None:
    return os.environ.get("SHOPSYNC_TERRAFORM") or shutil.which("terraform")


def plugin_dir() -> Path | None:
    """The offline plugin directory holding registry.terraform.io/hashicorp/aws, if any."""
    explicit = os.environ.get("SHOPSYNC_TF_PLUGIN_DIR")
    for candidate in ([explicit] if explicit else []) + list(PLUGIN_DIR_CANDIDATES):
        path = Path(candidate)
        if (path / "registry.terraform.io" / "hashicorp" / "aws").is_dir():
            return path
    return None


def missing_tools() -> str | None:
    """Why Terraform cannot run here, or None."""
    if terraform_binary() is None:
        return "terraform is not installed (or set SHOPSYNC_TERRAFORM)"
    if plugin_dir() is None:
        return (
            "no offline plugin directory with hashicorp/aws found in "
            f"{', '.join(PLUGIN_DIR_CANDIDATES)} (or set SHOPSYNC_TF_PLUGIN_DIR)"
        )
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that is its own CA, and its key (PEM files)."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "shopsync test moto")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "moto-cert.pem", directory / "moto-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass(frozen=True)
class MotoServer:
    """moto over HTTPS (the buckets' policies deny plain HTTP, and moto enforces them);
    ``ca_bundle`` is the certificate to trust."""

    endpoint: str
    ca_bundle: Path
    process: subprocess.Popen[bytes]

    def set_config(self, config: Mapping[str, Any]) -> None:
        requests.post(
            f"{self.endpoint}/moto-api/config",
            json=dict(config),
            timeout=10,
            verify=str(self.ca_bundle),
        )


@contextmanager
def moto_server(workdir: Path) -> Iterator[MotoServer]:
    """A moto server on https://127.0.0.1 (a child process), stopped on exit."""
    port = free_port()
    cert, key = self_signed_certificate(workdir)
    log_path = workdir / "moto.log"
    command = [sys.executable, "-m", "tests.moto_server", "-H", "127.0.0.1", "-p", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, "-c", str(cert), "-k", str(key)],
            stdout=log,
            stderr=log,
            cwd=REPO_ROOT,
            # AWS's managed policies exist (the functions attach AWSLambdaVPCAccessExecutionRole);
            # read when the IAM backend is first made, so before any request.
            env={**os.environ, "MOTO_IAM_LOAD_MANAGED_POLICIES": "true"},
        )
    server = MotoServer(f"https://127.0.0.1:{port}", cert, process)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{server.endpoint}/moto-api/data.json", timeout=2, verify=str(cert))
                break
            except requests.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"moto server did not start: {log_path.read_text()}"
                    ) from None
                time.sleep(0.2)
        # No Docker here: Lambda functions are created and invoked without running them.
        server.set_config({"lambda": {"use_docker": False}})
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


def provider_override(endpoint: str, ca_bundle: Path) -> str:
    endpoints = "\n".join(f'    {name} = "{endpoint}"' for name in MOTO_SERVICES)
    return f"""\
# Test only: the aws provider talks to the moto server; state is local.
terraform {{
  backend "local" {{}}
}}

provider "aws" {{
  region                      = "{REGION}"
  access_key                  = "testing"
  secret_key                  = "testing"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  skip_requesting_account_id  = false
  s3_use_path_style           = true
  custom_ca_bundle            = "{ca_bundle}"

  endpoints {{
{endpoints}
  }}
}}
"""


def copy_terraform(workdir: Path, tenants_dir: Path = EXAMPLE_TENANTS_DIR) -> Path:
    """The repository's terraform/ in ``workdir``, with what it reads by relative path (the
    event patterns, the tenant files), so init and its lock file never touch the repository."""
    root = workdir / "terraform"
    shutil.copytree(
        TERRAFORM_DIR,
        root,
        ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*", "*override.tf"),
    )
    patterns = REPO_ROOT / "services" / "shopsync" / "events" / "patterns"
    shutil.copytree(patterns, workdir / "services" / "shopsync" / "events" / "patterns")
    shutil.copytree(tenants_dir, workdir / "tenants")
    return root


class Terraform:
    """The terraform command in one directory, offline, with its data kept under ``data_dir``."""

    def __init__(self, root: Path, data_dir: Path) -> None:
        self.root = root
        self.env = {
            **os.environ,
            "TF_IN_AUTOMATION": "1",
            "TF_INPUT": "0",
            "TF_CLI_CONFIG_FILE": "/dev/null",
            "CHECKPOINT_DISABLE": "1",
            "TF_DATA_DIR": str(data_dir),
        }

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        binary = terraform_binary()
        assert binary is not None
        result = subprocess.run(
            [binary, *args, "-no-color"],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"terraform {args[0]} failed ({result.returncode}):\n"
                f"{result.stdout[-6000:]}\n{result.stderr[-6000:]}"
            )
        return result

    def init(self, *args: str) -> None:
        self.run("init", "-input=false", f"-plugin-dir={plugin_dir()}", *args)


class Stack(Terraform):
    """A copy of the repository's Terraform in ``workdir``, planned and applied against moto."""

    def __init__(self, workdir: Path, moto: MotoServer, tenants_dir: Path) -> None:
        super().__init__(copy_terraform(workdir, tenants_dir), workdir / ".terraform")
        override = provider_override(moto.endpoint, moto.ca_bundle)
        (self.root / "moto_override.tf").write_text(override)

    def write_variables(self, variables: Mapping[str, Any]) -> None:
        """The stack's variables, read by every later plan, apply and destroy."""
        (self.root / "test.auto.tfvars.json").write_text(json.dumps(dict(variables), indent=2))

    def outputs(self) -> dict[str, Any]:
        raw = json.loads(self.run("output", "-json").stdout)
        return {name: entry["value"] for name, entry in raw.items()}
