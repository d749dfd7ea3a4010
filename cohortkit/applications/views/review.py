"""Reviewers score the applications assigned to them."""

from django.contrib import messages
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from cohortkit.accounts.requests import signed_in_person
from cohortkit.applications import services
from cohortkit.applications.forms import ReviewForm
from cohortkit.applications.models import ApplicationReview
from cohortkit.applications.queries import answer_rows, form_for, questions_for
from cohortkit.courses.models import Role
from cohortkit.courses.permissions import require_role, run_for
from cohortkit.translations.queries import content_lookup
from cohortkit.wiki.queries import experiences


@require_safe
def review_list(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_role(request, the_run, Role.REVIEWER)
    reviews = (
        ApplicationReview.objects.filter(
            application__run=the_run, reviewer=signed_in_person(request)
        )
        .select_related("application__applicant")
        # Still to do first, on every database (PostgreSQL sorts NULL last by default).
        .order_by(F("submitted_at").asc(nulls_first=True), "pk")
    )
    return render(
        request,
        "applications/review_list.html",
        {"run": the_run, "reviews": reviews, "is_blind": form_for(the_run).is_blind_review},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def review(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    """Score one application; others' scores appear once your own is in."""
    the_run = run_for(request, slug, run)
    require_role(request, the_run, Role.REVIEWER)
    mine = get_object_or_404(
        ApplicationReview.objects.select_related("application__applicant", "application__run"),
        application__run=the_run,
        reviewer=signed_in_person(request),
        pk=pk,
    )
    criteria = list(the_run.criteria.all())
    initial = {f"score_{key}": value for key, value in mine.scores.items()}
    initial["comment"] = mine.comment
    text = content_lookup(request, the_run.course).text
    form = ReviewForm(
        request.POST or None, criteria=criteria, run=the_run, text=text, initial=initial
    )
    if request.method == "POST":
        if not criteria:
            form.add_error(None, _("The coordinator has not set up the rubric yet."))
        if form.is_valid():
            services.submit_review(
                mine, scores=form.scores, comment=form.cleaned_data["comment"], at=timezone.now()
            )
            messages.success(request, _("Your review is saved."))
            return redirect("applications:review", slug=slug, run=run, pk=pk)
    others = (
        mine.application.reviews.exclude(pk=mine.pk)
        .filter(submitted_at__isnull=False)
        .select_related("reviewer")
        if mine.submitted_at
        else None
    )
    answers = answer_rows(
        the_run,
        questions_for(the_run),
        mine.application.answers,
        text,
    )
    return render(
        request,
        "applications/review_form.html",
        {
            "run": the_run,
            "review": mine,
            "application": mine.application,
            "answers": answers,
            "form": form,
            "others": others,
            "is_blind": form_for(the_run).is_blind_review,
            "criteria": criteria,
            "experience": experiences(the_run, [mine.application.applicant_id]).get(
                mine.application.applicant_id
            ),
        },
        status=400 if form.errors else 200,
    )
