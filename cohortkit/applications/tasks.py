from django.tasks import task
from django.utils import timezone

from cohortkit.applications.services import expire_offers


@task()
def task_expire_offers() -> int:
    """Expire overdue offers and offer their seats down the waitlist."""
    return expire_offers(at=timezone.now())
