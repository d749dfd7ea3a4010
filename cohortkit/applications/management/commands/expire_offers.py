from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cohortkit.applications.models import Offer, OfferState
from cohortkit.applications.services import expire_offers, schedule_offer_expiry


class Command(BaseCommand):
    help = (
        "Expire offers past their deadline and offer the seats down the waitlist. The task "
        "worker does this by itself at each deadline; this is the safety net (run hourly)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--enqueue", action="store_true", help="Enqueue the task instead of running it here."
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Enqueue an expiry task at the deadline of every open offer (after restoring "
            "a database or emptying the task queue).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            deadlines = list(
                Offer.objects.filter(state=OfferState.OPEN).values_list("respond_by", flat=True)
            )
            with transaction.atomic():
                schedule_offer_expiry(deadlines)
            self.stdout.write(f"{len(set(deadlines))} expiry tasks queued")
            return
        if options["enqueue"]:
            from cohortkit.applications.tasks import task_expire_offers  # noqa: PLC0415 — only this option needs the task backend

            task_expire_offers.enqueue()
            self.stdout.write("queued")
            return
        count = expire_offers(at=timezone.now())
        self.stdout.write(f"{count} offers expired")
