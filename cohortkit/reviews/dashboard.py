"""Dashboard card: the peer reviews the person still has to give. One query, however many
runs."""

from django.db.models import Count, Min
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohortkit.courses.dashboard import ME, Board, Card, Item
from cohortkit.courses.models import Phase, Role
from cohortkit.reviews.models import Review, ReviewState


def cards(request: HttpRequest, board: Board) -> list[Card]:
    runs = board.runs_with(
        Role.PARTICIPANT, Role.FACILITATOR, Role.COORDINATOR,
        phases=[Phase.IN_PROGRESS, Phase.COMPLETED, Phase.SELF_PACED],
    )  # fmt: skip
    if not runs:
        return []
    open_reviews = {
        run_id: (count, due)
        for run_id, count, due in Review.objects.filter(
            reviewer=board.user, run__in=runs, state=ReviewState.ASSIGNED
        )
        .values_list("run")
        .annotate(count=Count("pk"), due=Min("run__review_step__reviews_due_at"))
        .order_by()
    }
    items = [
        Item(
            ngettext("peer review to give", "peer reviews to give", count),
            reverse("reviews:assigned", kwargs={"slug": run.course.slug, "run": run.slug}),
            count=count,
            note=_("due") if due else "",
            at=due,
            context=board.label(run),
            is_warning=bool(due and due < board.now),
        )
        for run in runs
        if run.pk in open_reviews
        for count, due in [open_reviews[run.pk]]
    ]
    return [Card(_("Peer reviews to give"), items, section=ME, order=25)] if items else []
