from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cohortkit.wiki.models import RunWikis, Wiki, WikiFigures, WikiIdentity
from tests.factories import RunFactory, UserFactory


def test_refresh_queues_stale_accounts_and_runs_in_progress(db: None) -> None:
    now = timezone.now()
    wiki = Wiki.objects.create(name="Test wiki", api_url="http://127.0.0.1:9/api.php")
    never, stale, fresh = UserFactory(), UserFactory(), UserFactory()
    for number, person in enumerate([never, stale, fresh]):
        WikiIdentity.objects.create(
            person=person, central_id=str(number), username=f"U{number}", verified_at=now
        )
    for person, hours in [(stale, 30), (fresh, 2)]:
        WikiFigures.objects.create(
            person=person,
            wiki=wiki,
            username="U",
            edit_count=1,
            read_at=now - timedelta(hours=hours),
        )
    running = RunFactory(starts_on=(now - timedelta(days=10)).date(), weeks=8)
    later = RunFactory(starts_on=(now + timedelta(days=100)).date(), weeks=8)
    for run in (running, later):
        RunWikis.objects.create(run=run).wikis.add(wiki)
    out = StringIO()

    call_command("wiki_refresh", stdout=out)

    queued = sorted(
        (row.task_path.rsplit(".", 1)[1], row.args_kwargs["args"][0])
        for row in DBTaskResult.objects.all()
    )
    assert queued == sorted(
        [
            ("task_read_wiki_figures", never.pk),
            ("task_read_wiki_figures", stale.pk),
            ("task_read_run_edits", running.pk),
        ]
    )
    assert out.getvalue() == "wiki accounts queued: 2; runs queued: 1\n"
