"""Dashboard cards: the person's applications and their state; for reviewers the
applications assigned to them, for coordinators the applications nobody has reviewed yet.
Three queries at most, however many runs."""

from typing import cast

from django.db.models import Count
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohortkit.applications.models import (
    Application,
    ApplicationForm,
    ApplicationReview,
    ApplicationState,
    OfferState,
    Outcome,
)
from cohortkit.courses.dashboard import ME, STAFF, Board, Card, Item
from cohortkit.courses.models import Phase, Role, Run

REVIEWING = (Phase.ACCEPTING, Phase.SELECTING)


def _kwargs(run: Run) -> dict[str, str]:
    return {"slug": run.course.slug, "run": run.slug}


def prepare(request: HttpRequest, board: Board) -> None:
    mine = list(
        Application.objects.filter(applicant=board.user)
        .select_related("run__course", "decision", "offer")
        .order_by("-created_at", "-pk")
    )
    forms = {
        form.run_id: form
        for form in ApplicationForm.objects.filter(run__in=[a.run_id for a in mine]).only(
            "run", "decisions_released_at"
        )
    } if mine else {}  # fmt: skip
    board.loaded["applications"] = (mine, forms)
    board.show_runs(application.run for application in mine)


def _state(application: Application, form: ApplicationForm | None, board: Board) -> Item:
    run = application.run
    url = reverse("applications:apply", kwargs=_kwargs(run))
    label = board.label(run)
    released = (
        form is not None
        and form.decisions_released_at is not None
        and board.now >= run.notification_at
    )
    if application.state == ApplicationState.DRAFT:
        if run.accepts_applications_at(board.now):
            return Item(label, url, _("Draft, not sent: send it by"), at=run.applications_close_at,
                        is_warning=True)  # fmt: skip
        return Item(label, url, _("Draft, never sent; applications are closed"))
    if application.state == ApplicationState.WITHDRAWN:
        return Item(label, url, _("Withdrawn"))
    decision = getattr(application, "decision", None) if released else None
    if decision is None:
        return Item(label, url, _("Sent; decisions are announced on"), at=run.notification_at)
    if decision.outcome == Outcome.WAITLISTED:
        return Item(
            label, url, _("On the waitlist, position %(rank)s") % {"rank": decision.waitlist_rank}
        )
    if decision.outcome == Outcome.NOT_SELECTED:
        return Item(label, url, _("Not selected"))
    offer = getattr(application, "offer", None)
    if offer is not None and offer.state == OfferState.OPEN and board.now < offer.respond_by:
        return Item(label, url, _("Selected: confirm your seat by"), at=offer.respond_by,
                    is_warning=True)  # fmt: skip
    if offer is not None and offer.state == OfferState.CONFIRMED:
        return Item(label, url, _("Selected: your seat is confirmed"))
    if offer is not None:
        return Item(
            label,
            url,
            _("Selected; offer %(state)s") % {"state": offer.get_state_display().lower()},
        )
    return Item(label, url, _("Selected"))  # fmt: skip


def cards(request: HttpRequest, board: Board) -> list[Card]:
    mine, forms = cast(
        tuple[list[Application], dict[int, ApplicationForm]],
        board.loaded.get("applications", ([], {})),
    )
    result = []
    if mine:
        result.append(
            Card(
                _("Your applications"),
                [_state(application, forms.get(application.run_id), board) for application in mine],
                section=ME,
                order=20,
            )
        )
    reviewing = board.runs_with(Role.REVIEWER, Role.COORDINATOR, phases=REVIEWING)
    if reviewing:
        to_review = dict(
            ApplicationReview.objects.filter(
                reviewer=board.user,
                submitted_at__isnull=True,
                application__run__in=reviewing,
                application__state=ApplicationState.SUBMITTED,
            )
            .values_list("application__run")
            .annotate(count=Count("pk"))
            .order_by()
        )
        result.append(
            Card(
                _("Applications to review"),
                [
                    Item(
                        ngettext("application assigned to you", "applications assigned to you", count),
                        reverse("applications:reviews", kwargs=_kwargs(run)),
                        count=count,
                        context=board.label(run),
                    )
                    for run in reviewing
                    if (count := to_review.get(run.pk, 0))
                ],
                section=STAFF,
                order=10,
                empty=_("None waiting for you."),
            )
        )  # fmt: skip
    coordinating = board.runs_with(Role.COORDINATOR, phases=REVIEWING)
    if coordinating:
        unreviewed = dict(
            Application.objects.submitted()
            .filter(run__in=coordinating)
            .exclude(reviews__submitted_at__isnull=False)
            .values_list("run")
            .annotate(count=Count("pk"))
            .order_by()
        )
        result.append(
            Card(
                _("Unreviewed applications"),
                [
                    Item(
                        ngettext("application without a review", "applications without a review", count),
                        reverse("applications:progress", kwargs=_kwargs(run)),
                        count=count,
                        context=board.label(run),
                    )
                    for run in coordinating
                    if (count := unreviewed.get(run.pk, 0))
                ],
                section=STAFF,
                order=11,
                empty=_("Every application has a review."),
            )
        )  # fmt: skip
    return result
