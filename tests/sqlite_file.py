"""Run a race script in a fresh process on a SQLite file database (WAL, IMMEDIATE
transactions): the in-memory test database cannot show how separate processes contend."""

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def run_on_sqlite_file(script: str, folder: Path) -> Any:
    """The JSON the script prints last, run with `folder` as the database's home; skipped
    outside the suite's SQLite pass (it runs once)."""
    if connection.vendor != "sqlite":
        pytest.skip("runs once, in the SQLite pass of the suite")
    env = {
        **os.environ,
        "COHORTKIT_VAR_DIR": str(folder),
        "DJANGO_SETTINGS_MODULE": "cohortkit.settings",
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])
