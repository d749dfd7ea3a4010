from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.models import Role, Run
from cohortkit.courses.permissions import require_role, require_staff, run_for
from cohortkit.courses.queries import run_participants
from cohortkit.learning.forms import HelpAnswerForm, HelpRequestForm, SupportActionForm
from cohortkit.learning.models import (
    Assignment,
    HelpKind,
    HelpRequest,
    HelpState,
    ParticipantStatus,
    SupportAction,
    SupportActionKind,
)
from cohortkit.learning.queries import at_risk, coordinators_of
from cohortkit.learning.services.support import (
    answer_help_request,
    ask_for_help,
    take_support_action,
)
from cohortkit.learning.translation_units import assignment_key
from cohortkit.translations.queries import TextLookup, content_lookup


def _titles(texts: TextLookup) -> Callable[[Assignment], str]:
    """Assignment titles in the reader's content language, for the at-risk reasons."""
    return lambda assignment: texts.text(assignment_key(assignment, "title"), assignment.title)


@require_safe
def at_risk_list(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    return render(
        request,
        "learning/at_risk.html",
        {
            "run": the_run,
            "course": the_run.course,
            "people": at_risk(
                the_run, at=timezone.now(), title=_titles(content_lookup(request, the_run.course))
            ),
            "statuses": ParticipantStatus.objects.filter(run=the_run)
            .exclude(state="active")
            .select_related("user", "joins_run__course"),
            "actions": SupportAction.objects.filter(run=the_run).select_related(
                "participant", "taken_by"
            )[:20],
            "requests": _open_requests(the_run),
            "answer_form": HelpAnswerForm(),
        },
    )


def _open_requests(run: Run) -> QuerySet[HelpRequest]:
    return HelpRequest.objects.filter(run=run, state=HelpState.OPEN).select_related("participant")


@require_http_methods(["GET", "HEAD", "POST"])
def support_person(request: HttpRequest, slug: str, run: str, user_id: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    helped = get_object_or_404(run_participants(the_run), pk=user_id)
    texts = content_lookup(request, the_run.course)
    form = SupportActionForm(request.POST or None, run=the_run, texts=texts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        take_support_action(
            the_run,
            participant=helped,
            kind=SupportActionKind(data["kind"]),
            note=data["note"],
            by=signed_in_person(request),
            at=timezone.now(),
            assignment=data.get("assignment"),
            due_at=data.get("due_at"),
            next_run=data.get("next_run"),
        )
        messages.success(
            request,
            _("Done and recorded; %(name)s is told by e-mail.") % {"name": helped.display_name},
        )
        return redirect("learning:at_risk", slug=slug, run=run)
    risk = next(
        (
            item
            for item in at_risk(the_run, at=timezone.now(), title=_titles(texts))
            if item.person.pk == helped.pk
        ),
        None,
    )
    return render(
        request,
        "learning/support_person.html",
        {
            "run": the_run,
            "course": the_run.course,
            "person": helped,
            "risk": risk,
            "form": form,
            "actions": SupportAction.objects.filter(run=the_run, participant=helped).select_related(
                "taken_by"
            ),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def ask_help(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """A participant who cannot keep up asks for a pause, a deferral or self-paced study;
    the page names the course team's contact too."""
    the_run = run_for(request, slug, run)
    require_role(request, the_run, Role.PARTICIPANT)
    form = HelpRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ask_for_help(
                the_run,
                participant=signed_in_person(request),
                kind=HelpKind(form.cleaned_data["kind"]),
                message=form.cleaned_data["message"],
                at=timezone.now(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your request is sent to the course team; they answer by e-mail.")
            )
            return redirect("learning:ask_help", slug=slug, run=run)
    return render(
        request,
        "learning/help_request.html",
        {
            "run": the_run,
            "course": the_run.course,
            "form": form,
            "mine": HelpRequest.objects.filter(run=the_run, participant=signed_in_person(request)),
            "coordinators": coordinators_of(the_run),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def answer_help(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    """Facilitators and coordinators accept or decline a request, with a note."""
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    help_request = get_object_or_404(
        HelpRequest.objects.select_related("participant", "run__course"), run=the_run, pk=pk
    )
    form = HelpAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to accept or decline the request."))
        return redirect("learning:at_risk", slug=slug, run=run)
    try:
        answer_help_request(
            help_request,
            accept=form.cleaned_data["decision"] == "accept",
            note=form.cleaned_data["note"],
            by=signed_in_person(request),
            at=timezone.now(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Answered; %(name)s is told by e-mail.")
            % {"name": help_request.participant.display_name},
        )
    return redirect("learning:at_risk", slug=slug, run=run)
