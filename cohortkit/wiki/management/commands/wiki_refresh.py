from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db.models import Max, Q
from django.utils import timezone

from cohortkit.wiki.models import RunWikis, WikiIdentity
from cohortkit.wiki.tasks import task_read_run_edits, task_read_wiki_figures


class Command(BaseCommand):
    help = (
        "Queue background reads of the wikis: every verified wiki account whose figures are "
        "older than --hours (or were never read), and the edits of every run in progress "
        "that names wikis. Run it from cron (for example daily); pages never ask a wiki."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--hours", type=float, default=24.0, help="Re-read older figures.")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        stale = now - timedelta(hours=options["hours"])
        people = (
            WikiIdentity.objects.annotate(last=Max("person__wiki_figures__read_at"))
            .filter(Q(last__isnull=True) | Q(last__lt=stale))
            .values_list("person_id", flat=True)
        )
        for person_id in people:
            task_read_wiki_figures.enqueue(person_id, None)
        runs = [
            row.run
            for row in RunWikis.objects.select_related("run").filter(wikis__isnull=False).distinct()
            if row.run.starts_at <= now < row.run.ends_at + timedelta(days=7)
        ]
        for run in runs:
            task_read_run_edits.enqueue(run.pk)
        self.stdout.write(f"wiki accounts queued: {len(people)}; runs queued: {len(runs)}")
