from datetime import datetime

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from cohortkit.accounts import page_cache
from cohortkit.accounts.requests import person_or_none
from cohortkit.courses.dashboard import ME, STAFF, dashboard_cards, load_board
from cohortkit.courses.models import Role, Run
from cohortkit.courses.navigation import Link, run_links
from cohortkit.courses.permissions import is_course_coordinator, roles_in, run_for
from cohortkit.courses.queries import course_page, published_courses


def _valid_until(request: HttpRequest, runs: list[Run], now: datetime) -> None:
    """A kept copy of the page lasts until the first of the runs' phases changes."""
    page_cache.valid_until(
        request, min((i for r in runs if (i := r.changes_after(now))), default=None)
    )


@login_not_required
@page_cache.public_page
@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    courses = list(published_courses())
    now = timezone.now()
    _valid_until(request, [run for course in courses for run in course.runs.all()], now)
    return render(request, "courses/course_list.html", {"courses": courses, "now": now})


@login_not_required
@page_cache.personal_page
@require_safe
def home(request: HttpRequest) -> HttpResponseBase:
    """The site root: the catalogue for visitors; for signed-in people their dashboard (their
    runs and roles, what is next for them, what needs them as staff). The catalogue stays
    at its own address. A fixed number of queries however many runs and roles."""
    user = person_or_none(request)
    if user is None:
        return catalogue(request)
    board = load_board(user, at=timezone.now())
    cards = dashboard_cards(request, board)
    return render(
        request,
        "courses/dashboard.html",
        {
            "board": board,
            "runs": [
                (m, board.label(m.run), [role for role in Role if role in m.roles])
                for m in board.memberships
            ],
            "my_cards": [card for card in cards if card.section == ME],
            "staff_cards": [card for card in cards if card.section == STAFF],
        },
    )


@login_not_required
@page_cache.public_page
@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    courses = course_page(slug)
    if not (request.user.is_authenticated and request.user.is_staff):
        courses = courses.filter(is_published=True)
    course = courses.first()
    if course is None:
        raise Http404
    runs = list(course.runs.all())
    now = timezone.now()
    for run in runs:
        run.current_phase = run.phase_at(now)  # type: ignore[attr-defined]
        run.is_open = run.accepts_applications_at(now)  # type: ignore[attr-defined]
    outline_run = next((run for run in runs if run.modules.all()), None)
    _valid_until(request, runs, now)
    return render(
        request,
        "courses/course_detail.html",
        {
            "course": course,
            "runs": runs,
            "outline_run": outline_run,
            "now": now,
            "can_create_run": is_course_coordinator(request, course),
        },
    )


def team_links(run: Run) -> list[Link]:
    """The course team's pages, for the run's coordinators."""
    kwargs = {"slug": run.course.slug, "run": run.slug}
    return [
        Link(_("Course team and roles"), reverse("courses:team", kwargs=kwargs), "staff"),
        Link(_("Dates and seats"), reverse("courses:run_settings", kwargs=kwargs), "staff"),
        Link(_("Modules and topics"), reverse("courses:outline", kwargs=kwargs), "staff"),
        Link(_("Completion rules"), reverse("learning:completion_rules", kwargs=kwargs), "staff"),
        Link(
            _("Create the next run"),
            reverse("courses:run_new", kwargs={"slug": run.course.slug}),
            "staff",
        ),
    ]


@login_not_required
@page_cache.personal_page
@require_safe
def run_home(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """A run's home: its timeline, your roles in it, and links to what you may open."""
    the_run = run_for(request, slug, run)
    now = timezone.now()
    roles = roles_in(request, the_run)
    links = run_links(request, the_run, roles)
    if Role.COORDINATOR in roles:
        links += team_links(the_run)
    return render(
        request,
        "courses/run_detail.html",
        {
            "run": the_run,
            "course": the_run.course,
            "roles": sorted(roles),
            "links": [link for link in links if link.section != "staff"],
            "staff_links": [link for link in links if link.section == "staff"],
            "phase": the_run.phase_at(now),
            "is_open": the_run.accepts_applications_at(now),
            "now": now,
        },
    )
