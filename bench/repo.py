"""Puts the repository root on ``sys.path``, so that benchmarks import ``tests.support``.

``make bench`` runs each script as ``python bench/bench_<name>.py``: Python puts ``bench/`` on
the path, not the root. Import this module before ``tests``: ``import repo  # noqa: F401``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
