"""The wiki app's part in copying a run: the wikis it reads and the page prefix."""

from collections.abc import Mapping

from cohortkit.courses.models import Run
from cohortkit.wiki.models import RunWikis


def copy_run(source: Run, target: Run) -> Mapping[str, str]:
    row = RunWikis.objects.filter(run=source).first()
    if row is not None:
        copied = RunWikis.objects.create(run=target, page_prefix=row.page_prefix)
        copied.wikis.set(row.wikis.all())
    return {}
