"""Dashboard card: the next live sessions the person is invited to, in their own zone, with
the video-call link. One query, however many runs."""

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from cohortkit.courses.dashboard import ME, Board, Card, Item
from cohortkit.courses.models import Phase, Role
from cohortkit.scheduling.models import Occurrence, invited
from cohortkit.scheduling.translation_units import session_title
from cohortkit.translations.queries import content_lookup

SHOWN = 3
LOOKED_AT = 30


def cards(request: HttpRequest, board: Board) -> list[Card]:
    runs = board.runs_with(
        Role.PARTICIPANT, Role.FACILITATOR, Role.COORDINATOR,
        phases=[Phase.SELECTING, Phase.IN_PROGRESS],
    )  # fmt: skip
    if not runs:
        return []
    # The meetings the person is invited to, for many runs in one query, and the ones they
    # facilitate.
    theirs = invited(board.user, through="session__") | Q(session__facilitator=board.user)
    upcoming = list(
        Occurrence.objects.filter(theirs, session__run__in=runs, is_cancelled=False)
        .filter(ends_at__gt=board.now)
        .select_related("session__run__course")
        .order_by("starts_at", "pk")
        .distinct()[:LOOKED_AT]
    )
    # The next meeting of each series (a weekly series would otherwise fill the card).
    first: dict[int, Occurrence] = {}
    for occurrence in upcoming:
        first.setdefault(occurrence.session_id, occurrence)
    items = []
    for occurrence in list(first.values())[:SHOWN]:
        session, run = occurrence.session, occurrence.session.run
        texts = content_lookup(request, run.course)
        items.append(
            Item(
                session_title(texts, run, session),
                reverse(
                    "scheduling:occurrence",
                    kwargs={"slug": run.course.slug, "run": run.slug, "pk": occurrence.pk},
                ),
                at=occurrence.starts_at,
                context=board.label(run),
                action_url=session.video_url,
                action_label=_("Join the video call") if session.video_url else "",
                note=_("Happening now") if occurrence.starts_at <= board.now else "",
            )
        )
    return [
        Card(
            _("Your next live sessions"),
            items,
            section=ME,
            order=5,
            empty=_("No live session planned for you yet."),
        )
    ]
