"""Many simultaneous bulk queueings of the same keys (used by the concurrency tests)."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.db import connections, transaction

from cohortkit.notifications.models import OutboxMessage
from cohortkit.notifications.services import Mail, queue_mails


def race(*, workers: int, keys: int) -> dict[str, int]:
    """Queue `keys` keyed messages from `workers` threads at once.

    Each thread starts at a different key (so their inserts meet half-way) and half of them
    hold their transaction open a moment after inserting, so the others run into rows not
    yet committed. Returns what was stored and how many messages the callers got back.
    """
    barrier = threading.Barrier(workers)

    def queue(worker: int) -> int:
        start = worker * keys // workers
        order = [*range(start, keys), *range(start)]
        mails = [
            Mail(recipient=f"racer{k}@example.org", subject=f"Key {k}", body=".", kind="race",
                 key=f"race:{k}")
            for k in order
        ]  # fmt: skip
        try:
            barrier.wait()
            if worker % 2:
                return len(queue_mails(mails))
            with transaction.atomic():
                created = queue_mails(mails)
                time.sleep(0.05)
            return len(created)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        returned = list(pool.map(queue, range(workers)))
    return {
        "returned": sum(returned),
        "rows": OutboxMessage.objects.filter(kind="race").count(),
        "keys": OutboxMessage.objects.filter(kind="race").values("key").distinct().count(),
    }
