"""The course team's pages: create and edit runs, roles and invitations, the outline.

Run-scoped pages are for the run's coordinators (`require_coordinator`); creating a run is
for the course's coordinators (`require_course_coordinator`, see permissions.py). GET never
changes anything; every change is one service call from courses/services.py.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cohortkit.accounts.requests import person_or_none, signed_in_person
from cohortkit.courses import services
from cohortkit.courses.forms import InviteForm, ModuleForm, RunForm, TopicForm
from cohortkit.courses.models import Invitation, Module, Role, Run, RunRole, Topic
from cohortkit.courses.permissions import (
    course_for,
    require_coordinator,
    require_course_coordinator,
    run_for,
)

DIRECTIONS = ("up", "down")


def _run_fields(data: dict[str, Any]) -> dict[str, Any]:
    return {name: data[name] for name in services.RUN_FIELDS if name in data}


# ---- runs ------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def run_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Create a run of the course, by default as a copy of its latest run's set-up."""
    course = course_for(request, slug)
    require_course_coordinator(request, course)
    form = RunForm(request.POST or None, course=course)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = services.create_run(
                course,
                **{k: v for k, v in _run_fields(data).items() if k != "is_self_paced"},
                copy_from=data.get("copy_from"),
                by=signed_in_person(request),
            )
        except services.CourseTeamError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("The run is created. Next: invite its team and check its outline."),
            )
            return redirect("courses:team", slug=course.slug, run=run.slug)
    if not form.is_bound and not course.runs.exists():
        form.initial.setdefault("timezone", "UTC")
    return render(
        request,
        "courses/run_form.html",
        {"course": course, "form": form, "run": None},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def run_settings(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """A run's title, dates, seats and reference zone."""
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    form = RunForm(
        request.POST or None,
        course=the_run.course,
        run=the_run,
        initial=RunForm.initial_for(the_run),
    )
    if request.method == "POST" and form.is_valid():
        services.update_run(the_run, **_run_fields(form.cleaned_data))
        messages.success(request, _("The run's dates and seats are saved."))
        return redirect("courses:team", slug=the_run.course.slug, run=the_run.slug)
    return render(
        request,
        "courses/run_form.html",
        {"course": the_run.course, "form": form, "run": the_run},
        status=400 if form.is_bound else 200,
    )


# ---- roles -----------------------------------------------------------------------------------


def _team_page(
    request: HttpRequest, run: Run, form: InviteForm | None = None, status: int = 200
) -> HttpResponse:
    roles = (
        RunRole.objects.filter(run=run)
        .exclude(role=Role.PARTICIPANT)
        .select_related("user")
        .order_by("role", "user__display_name", "pk")
    )
    return render(
        request,
        "courses/team.html",
        {
            "run": run,
            "course": run.course,
            "roles": roles,
            "participants": RunRole.objects.filter(run=run, role=Role.PARTICIPANT).count(),
            "invitations": Invitation.objects.filter(run=run, accepted_at__isnull=True),
            "form": form or InviteForm(),
        },
        status=status,
    )


@require_safe
def team(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """The run's team (every role but participants) and the invitations not yet used."""
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    return _team_page(request, the_run)


@require_POST
def team_invite(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _team_page(request, the_run, form, status=400)
    result = services.invite_to_role(
        the_run,
        email=form.cleaned_data["email"],
        role=form.cleaned_data["role"],
        by=signed_in_person(request),
        at=timezone.now(),
    )
    if isinstance(result, Invitation):
        messages.success(
            request,
            _("%(email)s has no account yet: an invitation to sign up is on its way.")
            % {"email": result.email},
        )
    else:
        messages.success(
            request,
            _("%(name)s is now %(role)s in this run and gets a mail about it.")
            % {
                "name": result.user.display_name or result.user.email,
                "role": result.get_role_display(),
            },
        )
    return redirect("courses:team", slug=the_run.course.slug, run=the_run.slug)


@require_POST
def role_remove(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    role = get_object_or_404(RunRole.objects.select_related("user"), run=the_run, pk=pk)
    try:
        services.remove_role(role, by=signed_in_person(request))
    except services.CourseTeamError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(name)s is no longer %(role)s in this run.")
            % {"name": role.user.display_name or role.user.email, "role": role.get_role_display()},
        )
    return redirect("courses:team", slug=the_run.course.slug, run=the_run.slug)


@require_POST
def invitation_withdraw(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    invitation = get_object_or_404(Invitation, run=the_run, pk=pk)
    try:
        services.withdraw_invitation(invitation)
    except services.CourseTeamError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The invitation is withdrawn; its link no longer works."))
    return redirect("courses:team", slug=the_run.course.slug, run=the_run.slug)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation's link: sign up or sign in with the invited address, then accept."""
    found = get_object_or_404(
        Invitation.objects.select_related("run__course"), token=token, accepted_at__isnull=True
    )
    if request.method == "POST" and request.user.is_authenticated:
        try:
            services.accept_invitation(found, user=signed_in_person(request), at=timezone.now())
        except services.CourseTeamError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Welcome to the team: you are %(role)s in this run.")
                % {"role": found.get_role_display()},
            )
            return redirect(found.run.get_absolute_url())
    person = person_or_none(request)
    return render(
        request,
        "courses/invitation.html",
        {
            "invitation": found,
            "run": found.run,
            "course": found.run.course,
            "matches": person is not None and person.email.casefold() == found.email.casefold(),
            "verified": person is not None and person.is_email_verified,
            "signup_url": reverse("accounts:signup"),
            "login_url": reverse("accounts:login") + "?" + urlencode({"next": request.path}),
        },
        status=400 if request.method == "POST" else 200,
    )


# ---- the outline -----------------------------------------------------------------------------


def _outline_page(
    request: HttpRequest,
    run: Run,
    *,
    module_form: ModuleForm | None = None,
    topic_forms: dict[int, TopicForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    modules = list(
        Module.objects.filter(run=run)
        .order_by("position")
        .prefetch_related(
            Prefetch("topics", queryset=Topic.objects.order_by("position").defer("body"))
        )
    )
    topic_forms = topic_forms or {}
    for module in modules:
        module.topic_form = topic_forms.get(module.pk) or TopicForm(prefix=f"m{module.pk}")  # type: ignore[attr-defined]
    return render(
        request,
        "courses/outline_edit.html",
        {
            "run": run,
            "course": run.course,
            "modules": modules,
            "module_form": module_form or ModuleForm(run=run, prefix="new"),
        },
        status=status,
    )


@require_safe
def outline(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """The run's modules and topics: add, edit, reorder."""
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    return _outline_page(request, the_run)


@require_POST
def module_new(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    form = ModuleForm(request.POST, run=the_run, prefix="new")
    if not form.is_valid():
        return _outline_page(request, the_run, module_form=form, status=400)
    module = services.add_module(the_run, **form.cleaned_data)
    messages.success(request, _("Module %(position)s is added.") % {"position": module.position})
    return redirect("courses:outline", slug=the_run.course.slug, run=the_run.slug)


@require_http_methods(["GET", "HEAD", "POST"])
def module_edit(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    module = get_object_or_404(Module, run=the_run, pk=pk)
    form = ModuleForm(
        request.POST or None,
        run=the_run,
        initial={
            "title": module.title,
            "summary": module.summary,
            "release_week": module.release_week,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.update_module(module, **form.cleaned_data)
        messages.success(request, _("The module is saved."))
        return redirect("courses:outline", slug=the_run.course.slug, run=the_run.slug)
    return render(
        request,
        "courses/module_form.html",
        {"run": the_run, "course": the_run.course, "module": module, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_POST
def module_move(request: HttpRequest, slug: str, run: str, pk: int, direction: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    module = get_object_or_404(Module, run=the_run, pk=pk)
    if direction not in DIRECTIONS:
        raise Http404
    services.move_module(module, up=direction == "up")
    return redirect("courses:outline", slug=the_run.course.slug, run=the_run.slug)


@require_POST
def topic_new(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    module = get_object_or_404(Module, run=the_run, pk=pk)
    form = TopicForm(request.POST, prefix=f"m{module.pk}")
    if not form.is_valid():
        return _outline_page(request, the_run, topic_forms={module.pk: form}, status=400)
    topic = services.add_topic(module, title=form.cleaned_data["title"])
    messages.success(
        request,
        _("The topic “%(title)s” is added; write its content from its edit link.")
        % {"title": topic.title},
    )
    return redirect("courses:outline", slug=the_run.course.slug, run=the_run.slug)


@require_POST
def topic_move(request: HttpRequest, slug: str, run: str, pk: int, direction: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    topic = get_object_or_404(Topic, module__run=the_run, pk=pk)
    if direction not in DIRECTIONS:
        raise Http404
    services.move_topic(topic, up=direction == "up")
    return redirect("courses:outline", slug=the_run.course.slug, run=the_run.slug)
