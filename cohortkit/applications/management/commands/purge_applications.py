from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cohortkit.applications.services import purge_expired_answers


class Command(BaseCommand):
    help = "Delete application answers whose keeping time has passed (run it daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        purged = purge_expired_answers(at=timezone.now())
        self.stdout.write(f"{purged} application(s) purged.")
