"""Settings refuse to start in production with a secret key anyone could know or guess."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k3J9-q_Zr8vLx2Wm5Tn7Yb0Pc4Hs6Df1Ga8Ue3Io5Ky7Rw9Qx2Vz4"


def _load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env, ALLOWED_HOSTS="courses.example.org")
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import cohortkit.settings as s; print(s.DEBUG)",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


MESSAGE = (
    "django.core.exceptions.ImproperlyConfigured: With DEBUG=false, set SECRET_KEY to a "
    "secret random value of at least 50 characters"
)


@pytest.mark.parametrize(
    "key",
    [
        None,  # the development default
        "django-insecure-development-key-change-me-in-production-0123456789",
        "short-but-random-Zr8vLx2Wm5",
        "ab" * 40,  # long, but only two distinct characters
    ],
    ids=["unset", "development default", "short", "repetitive"],
)
def test_production_settings_refuse_a_weak_secret_key(key: str | None) -> None:
    env = {"DEBUG": "false"} | ({} if key is None else {"SECRET_KEY": key})

    loaded = _load_settings(**env)

    assert (loaded.returncode, loaded.stdout) == (1, "")
    assert MESSAGE in loaded.stderr


def test_production_settings_accept_a_long_random_key() -> None:
    loaded = _load_settings(DEBUG="false", SECRET_KEY=GOOD_KEY)

    assert (loaded.returncode, loaded.stdout, loaded.stderr) == (0, "False\n", "")


def test_development_settings_keep_the_development_key() -> None:
    loaded = _load_settings(DEBUG="true")

    assert (loaded.returncode, loaded.stdout, loaded.stderr) == (0, "True\n", "")
