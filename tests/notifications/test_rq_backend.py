"""At scale, tasks go to Redis through django-tasks-rq; a real worker runs them, in its own
process (no fork per job: `cohortkit.rq_worker`)."""

import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]


def _redis_up() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379 (started by .ci/run)")
def test_tasks_enqueued_on_redis_are_run_by_an_rq_worker_in_its_own_process(tmp_path: Path) -> None:
    # Databases 8 to 12: 13 is the deadline-rush bench's (bench/deadline_rush.py).
    queue_db = f"redis://127.0.0.1:6379/{uuid.uuid4().int % 5 + 8}"
    script = f"""
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "cohortkit.settings"
os.environ["TASKS_BACKEND"] = "django_tasks_rq.RQBackend"
os.environ["REDIS_URL"] = "{queue_db}"
os.environ["COHORTKIT_VAR_DIR"] = "{tmp_path}"
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django_tasks.signals import task_finished
from cohortkit.notifications.tasks import task_send_due_mail
finished_in = []
task_finished.connect(lambda sender, task_result, **kwargs: finished_in.append(os.getpid()))
result = task_send_due_mail.enqueue()
second = task_send_due_mail.enqueue()
call_command("rqworker", "default", "--burst", "--job-class", "django_tasks_rq.Job")
result.refresh()
second.refresh()
print(result.status, result.return_value, second.status, finished_in == [os.getpid()] * 2)
"""
    try:
        completed = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=False,
            timeout=120,
        )
    finally:
        # Leave the database empty: the deadline-rush bench refuses one in use.
        redis.Redis.from_url(queue_db).flushdb()
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert completed.stdout.strip().splitlines()[-1] == "SUCCESSFUL 0 SUCCESSFUL True"
