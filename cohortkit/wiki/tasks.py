from django.tasks import task
from django.utils import timezone

from cohortkit.accounts.models import User
from cohortkit.courses.models import Run
from cohortkit.wiki.models import Wiki
from cohortkit.wiki.services import read_run_edits, read_wiki_figures


@task()
def task_read_wiki_figures(person_id: int, wiki_ids: list[int] | None) -> list[str]:
    """Read a person's figures from the given wikis (None: every wiki the site knows).
    Returns the problems met, one clear message each (also kept in the task's result)."""
    person = User.objects.filter(pk=person_id).first()
    if person is None:
        return []
    wikis = Wiki.objects.all() if wiki_ids is None else Wiki.objects.filter(pk__in=wiki_ids)
    return read_wiki_figures(person, wikis, at=timezone.now()).problems


@task()
def task_read_run_edits(run_id: int) -> list[str]:
    """Read the run's participants' edits on its wikis; returns the problems met."""
    run = Run.objects.filter(pk=run_id).select_related("course").first()
    if run is None:
        return []
    return read_run_edits(run, at=timezone.now()).problems
