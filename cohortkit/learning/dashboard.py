"""Dashboard cards: for participants this week's modules and the assignments they still
owe (with their own due dates: extensions, and a self-paced learner's own rhythm, from
`deadlines`); for staff the unanswered questions and where to look for
people falling behind. Five queries at most, however many runs."""

from datetime import datetime, timedelta

from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohortkit.courses.dashboard import ME, STAFF, Board, Card, Item
from cohortkit.courses.models import Module, Phase, Role, Run
from cohortkit.learning.deadlines import due_at, self_paced_runs, zone_of
from cohortkit.learning.models import Assignment, Extension, Submission, SubmissionStatus, Thread
from cohortkit.learning.translation_units import assignment_key
from cohortkit.translations.queries import content_lookup

# Assignments shown: overdue ones and those due within this many days.
HORIZON_DAYS = 21
SHOWN = 8


def _kwargs(run: Run) -> dict[str, str]:
    return {"slug": run.course.slug, "run": run.slug}


def _this_week(request: HttpRequest, board: Board, on_own: dict[int, datetime]) -> Card | None:
    # Self-paced learners keep their own rhythm: the cohort's week is not theirs.
    runs = [
        run
        for run in board.runs_with(Role.PARTICIPANT, phases=[Phase.IN_PROGRESS])
        if run.pk not in on_own
    ]
    if not runs:
        return None
    weeks = {run.pk: (board.today_in(run) - run.starts_on).days // 7 for run in runs}
    modules = [
        module
        for module in Module.objects.filter(run__in=runs)
        .select_related("run__course")
        .order_by("run", "position")
        if module.release_week == weeks[module.run_id]
    ]
    return Card(
        _("This week's module"),
        [
            Item(
                str(content_lookup(request, module.run.course).module(module)),
                reverse("learning:module", kwargs={**_kwargs(module.run), "position": module.position}),
                note=_("Week %(week)s") % {"week": weeks[module.run_id] + 1},
                context=board.label(module.run),
            )
            for module in modules
        ],
        section=ME,
        order=10,
        empty=_("No module opens this week."),
    )  # fmt: skip


def _assignments_due(
    request: HttpRequest, board: Board, runs: list[Run], on_own: dict[int, datetime]
) -> Card | None:
    if not runs:
        return None
    handed_in = Submission.objects.filter(participant=board.user).exclude(
        status=SubmissionStatus.DRAFT
    )
    open_work = list(
        Assignment.objects.filter(run__in=runs)
        .exclude(pk__in=handed_in.values("assignment_id"))
        .select_related("run__course")
    )
    extensions = {
        e.assignment_id: e
        for e in Extension.objects.filter(participant=board.user, assignment__in=open_work)
    } if open_work else {}  # fmt: skip
    horizon = board.now + timedelta(days=HORIZON_DAYS)
    rows = []
    for assignment in open_work:
        run = assignment.run
        due = due_at(
            assignment,
            run=run,
            extension=extensions.get(assignment.pk),
            since=on_own.get(run.pk),
            zone=zone_of(board.user, run),
        )
        overdue = due < board.now
        if overdue and not assignment.accepts_late:
            continue
        if due > horizon:
            continue
        rows.append((due, assignment, overdue))
    rows.sort(key=lambda row: (row[0], row[1].pk))
    items = [
        Item(
            content_lookup(request, a.run.course).text(assignment_key(a, "title"), a.title),
            reverse("learning:assignment", kwargs={**_kwargs(a.run), "pk": a.pk}),
            note=_("Overdue: due") if overdue else _("Due"),
            at=due,
            context=board.label(a.run),
            is_warning=overdue,
        )
        for due, a, overdue in rows[:SHOWN]
    ]
    return Card(
        _("Assignments due"),
        items,
        section=ME,
        order=15,
        empty=_("Nothing due in the next three weeks."),
    )


def cards(request: HttpRequest, board: Board) -> list[Card]:
    following = board.runs_with(Role.PARTICIPANT, phases=[Phase.IN_PROGRESS, Phase.SELF_PACED])
    on_own = self_paced_runs(board.user, following) if following else {}
    mine = (_this_week(request, board, on_own), _assignments_due(request, board, following, on_own))
    result = [card for card in mine if card]
    staffed = board.runs_with(Role.COORDINATOR, Role.FACILITATOR)
    if staffed:
        unanswered = dict(
            Thread.objects.filter(run__in=staffed, is_answered=False, is_hidden=False)
            .values_list("run")
            .annotate(count=Count("pk"))
            .order_by()
        )
        result.append(
            Card(
                _("Unanswered questions"),
                [
                    Item(
                        ngettext("question without an answer", "questions without an answer", count),
                        reverse("learning:talk", kwargs=_kwargs(run)),
                        count=count,
                        context=board.label(run),
                    )
                    for run in staffed
                    if (count := unanswered.get(run.pk, 0))
                ],
                section=STAFF,
                order=20,
                empty=_("Every question has an answer."),
            )
        )  # fmt: skip
    watching = board.runs_with(Role.COORDINATOR, Role.FACILITATOR, phases=[Phase.IN_PROGRESS])
    if watching:
        result.append(
            Card(
                _("People falling behind"),
                [
                    Item(
                        _("See who is falling behind and why"),
                        reverse("learning:at_risk", kwargs=_kwargs(run)),
                        context=board.label(run),
                    )
                    for run in watching
                ],
                section=STAFF,
                order=30,
            )
        )
    return result
