"""The log context: set once per run, on every record of the run, on any thread it hands work
to, and never on another run's records."""

from __future__ import annotations

import ast
import io
import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from aws_lambda_powertools import Logger

import shopsync
from shopsync.logcontext import current, log_context, submit

log = logging.getLogger("shopsync.test_logcontext")


def _keys(record: logging.LogRecord) -> tuple[object, object]:
    return getattr(record, "tenant_id", None), getattr(record, "run_id", None)


def test_records_inside_the_block_carry_its_keys(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="shopsync")
    with log_context(tenant_id="acme", run_id="r1"):
        log.info("inside")
        with log_context(stream="orders"):
            log.info("nested")
            assert current() == {"tenant_id": "acme", "run_id": "r1", "stream": "orders"}
    log.info("outside")
    inside, nested, outside = caplog.records
    assert _keys(inside) == ("acme", "r1")
    assert _keys(nested) == ("acme", "r1")
    assert nested.stream == "orders"
    assert _keys(outside) == (None, None)
    assert current() == {}


def test_concurrent_runs_never_see_each_others_keys(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="shopsync")
    barrier = threading.Barrier(2)

    def run(tenant: str) -> None:
        with log_context(tenant_id=tenant, run_id=f"run-{tenant}"):
            for i in range(50):
                if i == 25:
                    barrier.wait()  # both runs are inside their blocks at once
                log.info("page %d", i, extra={"who": tenant})

    threads = [threading.Thread(target=run, args=(t,)) for t in ("acme", "globex")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(caplog.records) == 100
    for record in caplog.records:
        who = record.who
        assert _keys(record) == (who, f"run-{who}")


def test_work_submitted_to_a_pool_keeps_the_runs_keys(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="shopsync")
    with ThreadPoolExecutor(2) as pool, log_context(tenant_id="acme", run_id="r1"):
        submit(pool, log.info, "with submit").result()
        pool.submit(log.info, "plain submit").result()  # a pool thread has its own context
    with_submit, plain = caplog.records
    assert _keys(with_submit) == ("acme", "r1")
    assert _keys(plain) == (None, None)


def test_powertools_json_lines_carry_the_keys() -> None:
    stream = io.StringIO()
    Logger(service="shopsync-logcontext-test", logger_handler=logging.StreamHandler(stream))
    child = logging.getLogger("shopsync-logcontext-test.ingestion")
    with log_context(tenant_id="acme", run_id="r1"):
        child.info("ingestion run started")
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert (line["message"], line["tenant_id"], line["run_id"]) == (
        "ingestion run started",
        "acme",
        "r1",
    )


def test_a_value_from_shopify_cannot_forge_a_log_line_or_a_key() -> None:
    """A message carrying what a store sent (a title with a newline and a JSON object of its
    own, an error text claiming another tenant) stays one JSON line whose keys are ours."""
    stream = io.StringIO()
    # A service of its own: Powertools keeps the first handler a service name was given.
    Logger(service="shopsync-logcontext-forge", logger_handler=logging.StreamHandler(stream))
    child = logging.getLogger("shopsync-logcontext-forge.ingestion")
    forged = 'Tent\n{"level": "ERROR", "tenant_id": "acme_corp", "message": "pwned"}'
    with log_context(tenant_id="acme", run_id="r1"):
        child.warning("Shopify said: %s", forged)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert (line["tenant_id"], line["level"]) == ("acme", "WARNING")
    assert line["message"] == f"Shopify said: {forged}"


def _extra_keys(call: ast.Call) -> set[str]:
    for keyword in call.keywords:
        if keyword.arg == "extra" and isinstance(keyword.value, ast.Dict):
            return {k.value for k in keyword.value.keys if isinstance(k, ast.Constant)}
    return set()


def test_no_module_passes_the_context_keys_in_extra() -> None:
    """logging refuses ``extra`` keys a record already has: inside a run that would raise."""
    root = Path(shopsync.__file__).parents[2]
    offenders = [
        f"{path.relative_to(root)}:{node.lineno}"
        for package in ("services/shopsync", "glue/shopsync_glue")
        for path in (root / package).rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call) and _extra_keys(node) & {"tenant_id", "run_id"}
    ]
    assert offenders == []
    assert "extra=self.extra" not in (root / "services/shopsync/extract/service.py").read_text()
