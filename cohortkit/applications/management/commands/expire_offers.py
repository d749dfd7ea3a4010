from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from cohortkit.applications.services import expire_offers
from cohortkit.applications.tasks import task_expire_offers


class Command(BaseCommand):
    help = "Expire offers past their deadline and offer the seats down the waitlist (run hourly)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Enqueue the task instead of running it here."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            task_expire_offers.enqueue()
            self.stdout.write("queued")
            return
        count = expire_offers(at=timezone.now())
        self.stdout.write(f"{count} offers expired")
