"""Applications listen to the wiki app: new figures about a person, or their wiki account
unlinked (its figures gone), check their submitted applications again, in every run whose
rules read wiki figures."""

from typing import Any

from django.dispatch import receiver

from cohortkit.applications.models import Application, ApplicationState, RuleKind
from cohortkit.applications.services import recheck_eligibility
from cohortkit.courses.models import Run
from cohortkit.wiki.signals import figures_read, identity_unlinked


@receiver(figures_read)
@receiver(identity_unlinked)
def recheck_after_wiki_figures(sender: Any, person_id: int, **kwargs: Any) -> None:
    runs = Run.objects.filter(
        pk__in=Application.objects.filter(
            applicant_id=person_id, state=ApplicationState.SUBMITTED
        ).values("run_id"),
        eligibility_rules__kind__in=[RuleKind.WIKI_EDITS, RuleKind.WIKI_AGE, RuleKind.WIKI_GROUP],
    ).distinct()
    for run in runs:
        recheck_eligibility(run, people=[person_id])
