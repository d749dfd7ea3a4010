"""The `cohortkit` console command maps dashed names onto management commands."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cohortkit.__main__ import main

ROOT = Path(__file__).resolve().parents[1]


def test_dashed_names_run_the_underscored_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["cohortkit", "send-mail", "--help"])
    assert exit_info.value.code == 0
    assert "Send every queued message that is due" in capsys.readouterr().out


def test_the_installed_console_script_starts(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("cohortkit")
    environment = {**os.environ, "COHORTKIT_VAR_DIR": str(tmp_path)}
    result = subprocess.run(  # noqa: S603 - our own console script, fixed arguments
        [str(script), "help", "demo"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Load the reference course" in result.stdout
