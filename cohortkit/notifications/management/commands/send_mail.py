from typing import Any

from django.core.management.base import BaseCommand

from cohortkit.notifications.services import send_due_mail


class Command(BaseCommand):
    help = "Send every queued message that is due (a safety net beside the task worker)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_mail()
        self.stdout.write(f"{sent} message(s) sent.")
