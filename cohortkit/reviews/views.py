"""Peer-review pages. Each: the run, a permission check, a form, one service call."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from cohortkit.accounts.models import User
from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.models import Role, Run
from cohortkit.courses.permissions import (
    STAFF_ROLES,
    has_role,
    require_coordinator,
    require_member,
    require_role,
    require_staff,
    run_for,
)
from cohortkit.reviews import services
from cohortkit.reviews.allocation import AllocationInfeasible
from cohortkit.reviews.diagnosis import describe_blocking, describe_relaxation
from cohortkit.reviews.forms import (
    AllocateForm,
    CriterionFormSet,
    FinalWorkForm,
    FlagForm,
    PromptFormSet,
    ReassignForm,
    ReviewForm,
    ReviewStepForm,
    criterion_initial,
    prompt_initial,
)
from cohortkit.reviews.models import FinalWork, Review, ReviewStep, WorkState
from cohortkit.reviews.queries import (
    results_for_work,
    reviews_to_give,
    step_with_rubric,
    works_overview,
)
from cohortkit.reviews.translation_units import instructions_key
from cohortkit.translations.queries import content_lookup

View = Callable[..., HttpResponseBase]


def _step_or_404(run: Run) -> ReviewStep:
    step = step_with_rubric(run)
    if step is None:
        raise Http404(_("Peer review is not set up for this run."))
    step.run = run
    return step


def _back(run: Run, name: str, **kwargs: Any) -> HttpResponse:
    return redirect(name, slug=run.course.slug, run=run.slug, **kwargs)


# ---------------------------------------------------------------------------------------------
# Coordinators: setup and allocation


@require_http_methods(["GET", "HEAD", "POST"])
def setup(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    step = step_with_rubric(the_run)
    data = request.POST if request.method == "POST" else None
    form = ReviewStepForm(data, instance=step, zone=the_run.timezone)
    criteria = CriterionFormSet(data, initial=criterion_initial(step), prefix="criteria")
    prompts = PromptFormSet(data, initial=prompt_initial(step), prefix="prompts")
    if request.method == "POST" and all([form.is_valid(), criteria.is_valid(), prompts.is_valid()]):
        if not criteria.lines():
            form.add_error(None, _("Add at least one rubric criterion."))
        else:
            services.configure_review_step(
                the_run,
                settings={name: form.cleaned_data[name] for name in form.Meta.fields},
                criteria=criteria.lines(),
                prompts=prompts.lines(),
            )
            messages.success(request, _("The peer-review step is saved."))
            return _back(the_run, "reviews:setup")
    return render(
        request,
        "reviews/step_setup.html",
        {"run": the_run, "step": step, "form": form, "criteria": criteria, "prompts": prompts},
    )


@require_safe
def allocation(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """What allocating would do now, with the blocking rule named; nothing is saved."""
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    step = _step_or_404(the_run)
    context: dict[str, Any] = {"run": the_run, "step": step, "now": timezone.now()}
    if step.is_allocated:
        rows = works_overview(the_run)
        context["unreviewed"] = [
            row for row in rows if row.work.state == WorkState.SUBMITTED and not row.reviews
        ]
    else:
        plan = services.plan_allocation(step)
        context.update(
            plan=plan,
            blocking=describe_blocking(plan.blocking, plan.run_cohort) if plan.blocking else None,
            relaxation=describe_relaxation(plan.relaxation) if plan.relaxation else None,
        )
    return render(request, "reviews/allocation.html", context)


@require_POST
def allocate(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    step = _step_or_404(the_run)
    form = AllocateForm(request.POST)
    form.is_valid()
    try:
        outcome = services.allocate_reviews(
            step, at=timezone.now(), relax=bool(form.cleaned_data.get("relax"))
        )
    except services.ReviewError as error:
        messages.error(request, str(error))
    except AllocationInfeasible:
        messages.error(request, _("The rules cannot all hold: nothing was saved. See below."))
    else:
        messages.success(
            request,
            _("%(reviews)s reviews allocated, %(k)s per work. Reviewers are being told by mail.")
            % {"reviews": outcome.reviews, "k": outcome.reviews_per_work},
        )
    return _back(the_run, "reviews:allocation")


@require_POST
def repair(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_coordinator(request, the_run)
    step = _step_or_404(the_run)
    if not step.is_allocated:
        messages.error(request, _("Nothing to repair: reviewers are not allocated yet."))
        return _back(the_run, "reviews:allocation")
    try:
        outcome = services.repair_reviews(step, at=timezone.now())
    except AllocationInfeasible as error:
        messages.error(
            request,
            _("The allocation cannot be repaired under its rules: %(why)s")
            % {"why": describe_blocking(error, None).summary},
        )
    else:
        messages.success(
            request,
            _("Repaired: %(added)s reviews added, %(removed)s cancelled, %(kept)s kept.")
            % {"added": outcome.added, "removed": outcome.removed, "kept": outcome.kept},
        )
    return _back(the_run, "reviews:allocation")


# ---------------------------------------------------------------------------------------------
# Participants: final work and results


@require_http_methods(["GET", "HEAD", "POST"])
def work(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_role(request, the_run, Role.PARTICIPANT)
    step = _step_or_404(the_run)
    mine = FinalWork.objects.filter(run=the_run, author_id=request.user.pk).first()
    now = timezone.now()
    form = FinalWorkForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=mine,
    )
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action == "withdraw" and mine is not None:
            try:
                services.withdraw_final_work(mine, at=now)
            except services.ReviewError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your final work is withdrawn."))
            return _back(the_run, "reviews:work")
        if form.is_valid():
            try:
                saved = services.save_final_work(
                    the_run,
                    signed_in_person(request),
                    title=form.cleaned_data["title"],
                    text=form.cleaned_data["text"],
                    link=form.cleaned_data["link"],
                    file=request.FILES.get("file"),
                    clear_file=form.cleaned_data["file"] is False,
                    submit=action == "submit",
                    at=now,
                )
            except services.ReviewError as error:
                form.add_error(None, str(error))
            else:
                if saved.is_submitted:
                    messages.success(request, _("Your final work is submitted."))
                else:
                    messages.success(request, _("Your draft is saved."))
                return _back(the_run, "reviews:work")
    return render(
        request,
        "reviews/work_form.html",
        {
            "run": the_run,
            "step": step,
            "work": mine,
            "form": form,
            "now": now,
            "instructions_key": instructions_key(step),
            "is_locked": bool(mine and mine.is_submitted and now >= step.submissions_close_at)
            or not step.accepts_work_at(now),
        },
    )


@require_safe
def results(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """The reviews of your own work and the rubric aggregated."""
    the_run = run_for(request, slug, run)
    require_role(request, the_run, Role.PARTICIPANT)
    step = _step_or_404(the_run)
    mine = FinalWork.objects.filter(run=the_run, author_id=request.user.pk).first()
    outcome = results_for_work(step, mine, include_open=False) if mine else None
    return render(
        request,
        "reviews/results.html",
        {"run": the_run, "step": step, "work": mine, "results": outcome, "as_staff": False},
    )


@require_safe
def work_file(request: HttpRequest, slug: str, run: str, pk: int) -> FileResponse:
    """The work's file, as a download, for its author, its reviewers and staff."""
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    the_work = get_object_or_404(FinalWork, run=the_run, pk=pk)
    user_id = request.user.pk
    allowed = (
        the_work.author_id == user_id
        or has_role(request, the_run, STAFF_ROLES)
        or the_work.reviews.active().filter(reviewer_id=user_id).exists()
    )
    if not allowed:
        raise PermissionDenied
    if not the_work.file:
        raise Http404
    # A download, never rendered in our origin: an uploaded HTML or SVG file cannot run. Its
    # name is neutral: the author's own file name could tell an anonymous reviewer who it is.
    response = FileResponse(
        the_work.file.open("rb"), as_attachment=True, filename=the_work.download_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# ---------------------------------------------------------------------------------------------
# Reviewers


@require_safe
def assigned(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    step = _step_or_404(the_run)
    return render(
        request,
        "reviews/review_list.html",
        {
            "run": the_run,
            "step": step,
            "reviews": reviews_to_give(the_run, signed_in_person(request).pk),
            "now": timezone.now(),
        },
    )


def _own_review(request: HttpRequest, run: Run, pk: int) -> Review:
    review = get_object_or_404(
        Review.objects.active().select_related("work__author", "reviewer"), run=run, pk=pk
    )
    if review.reviewer_id != request.user.pk:
        raise PermissionDenied
    return review


@require_http_methods(["GET", "HEAD", "POST"])
def review(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    """Open the work and fill the rubric: save a draft or submit."""
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    the_review = _own_review(request, the_run, pk)
    step = _step_or_404(the_run)
    criteria, prompts = list(step.criteria.all()), list(step.prompts.all())
    submitting = request.POST.get("action") == "submit"
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        initial=ReviewForm.initial_from(the_review.scores, the_review.answers),
        criteria=criteria,
        prompts=prompts,
        submitting=submitting,
        text=content_lookup(request, the_run.course).text,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_review(
                the_review,
                scores=form.scores(),
                answers=form.answers(),
                submit=submitting,
                at=timezone.now(),
            )
        except services.ReviewError as error:
            form.add_error(None, str(error))
        else:
            if submitting:
                messages.success(request, _("Your review is submitted. Thank you."))
                return _back(the_run, "reviews:assigned")
            messages.success(request, _("Your draft is saved."))
            return _back(the_run, "reviews:review", pk=the_review.pk)
    return render(
        request,
        "reviews/review_form.html",
        {
            "run": the_run,
            "step": step,
            "review": the_review,
            "form": form,
            "work": the_review.work,
            "now": timezone.now(),
        },
    )


@require_POST
def autosave(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    """htmx: keep the draft as the reviewer types; answers the status line."""
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    the_review = _own_review(request, the_run, pk)
    step = _step_or_404(the_run)
    form = ReviewForm(
        request.POST, criteria=list(step.criteria.all()), prompts=list(step.prompts.all())
    )
    saved = None
    if form.is_valid() and the_review.is_open:
        try:
            saved = services.save_review(
                the_review,
                scores=form.scores(),
                answers=form.answers(),
                submit=False,
                at=timezone.now(),
            )
        except services.ReviewError:
            saved = None  # past the due date: the status line says it was not saved
    return render(
        request,
        "reviews/review_form.html#autosave-status",
        {"review": saved or the_review, "failed": saved is None, "run": the_run},
    )


# ---------------------------------------------------------------------------------------------
# Facilitators


@require_safe
def overview(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    step = _step_or_404(the_run)
    return render(
        request,
        "reviews/overview.html",
        {"run": the_run, "step": step, "rows": works_overview(the_run), "now": timezone.now()},
    )


def _reassign_candidates(run: Run, the_work: FinalWork) -> QuerySet[User]:
    busy = the_work.reviews.active().values("reviewer_id")
    return (
        User.objects.filter(
            run_roles__run=run,
            run_roles__role__in=[Role.PARTICIPANT, Role.FACILITATOR, Role.COORDINATOR],
        )
        .exclude(pk=the_work.author_id)
        .exclude(pk__in=busy)
        .distinct()
        .order_by("display_name", "pk")
    )


@require_safe
def work_detail(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    """Staff: one work with all its reviews, flags and reassignment."""
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    step = _step_or_404(the_run)
    the_work = get_object_or_404(FinalWork.objects.select_related("author"), run=the_run, pk=pk)
    outcome = results_for_work(step, the_work, include_open=True)
    candidates = _reassign_candidates(the_run, the_work)
    return render(
        request,
        "reviews/work_detail.html",
        {
            "run": the_run,
            "step": step,
            "work": the_work,
            "results": outcome,
            "as_staff": True,
            "reassign_form": ReassignForm(people=candidates),
            "own_review": next(
                (r for r in outcome.reviews if r.reviewer_id == request.user.pk), None
            ),
            "now": timezone.now(),
        },
    )


def _staff_review(request: HttpRequest, slug: str, run: str, pk: int) -> tuple[Run, Review]:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    the_review = get_object_or_404(
        Review.objects.active().select_related("work"), run=the_run, pk=pk
    )
    return the_run, the_review


@require_POST
def flag(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run, the_review = _staff_review(request, slug, run, pk)
    form = FlagForm(request.POST)
    if form.is_valid():
        services.flag_review(
            the_review, is_flagged=form.cleaned_data["is_flagged"], note=form.cleaned_data["note"]
        )
        if form.cleaned_data["is_flagged"]:
            messages.success(request, _("The review is flagged and left out of the aggregates."))
        else:
            messages.success(request, _("The flag is removed; the review counts again."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return _back(the_run, "reviews:work_detail", pk=the_review.work_id)


@require_POST
def reassign(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run, the_review = _staff_review(request, slug, run, pk)
    form = ReassignForm(request.POST, people=_reassign_candidates(the_run, the_review.work))
    if form.is_valid():
        try:
            services.reassign_review(
                the_review, reviewer=form.cleaned_data["reviewer"], at=timezone.now()
            )
        except services.ReviewError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The review is reassigned to %(name)s.")
                % {"name": form.cleaned_data["reviewer"]},
            )
    else:
        messages.error(request, _("Choose who should review this work instead."))
    return _back(the_run, "reviews:work_detail", pk=the_review.work_id)


@require_POST
def staff_review(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_staff(request, the_run)
    the_work = get_object_or_404(FinalWork, run=the_run, pk=pk, state=WorkState.SUBMITTED)
    try:
        own = services.add_staff_review(
            the_work,
            reviewer=signed_in_person(request),
            at=timezone.now(),
        )
    except services.ReviewError as error:
        messages.error(request, str(error))
        return _back(the_run, "reviews:work_detail", pk=the_work.pk)
    return _back(the_run, "reviews:review", pk=own.pk)
