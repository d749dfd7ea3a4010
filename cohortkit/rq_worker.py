"""The RQ worker's class on large sites (`RQ["WORKER_CLASS"]` in settings), what `wsgi.py` is
to the web processes.

RQ's default worker forks a fresh process for every job: each fork opens its own database
and Redis connections and compiles the mail templates and loads the translation catalogues
again, which cost more than sending the mail itself (a deadline rush queues two mails per
applicant). This worker runs jobs in its own, long-lived process, as the database worker
(`db_worker`) does, and, like Django around a request, closes a database connection that
has outlived `CONN_MAX_AGE` or broke before and after each job.
"""

from typing import Any

from django.db import close_old_connections
from rq.worker import SimpleWorker


class Worker(SimpleWorker):
    def execute_job(self, job: Any, queue: Any) -> None:
        close_old_connections()
        try:
            super().execute_job(job, queue)
        finally:
            close_old_connections()
