"""Reads about applications reused by views, services, the demo and reports."""

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from cohortkit.applications import selection
from cohortkit.applications.models import (
    ApplicationForm,
    ApplicationQuerySet,
    ApplicationReview,
    Question,
    QuestionKind,
)
from cohortkit.applications.translation_units import question_key
from cohortkit.courses.models import Run

BUILT_IN_COLUMNS = ("region", "experience", "language", "timezone")


def form_for(run: Run) -> ApplicationForm:
    """The run's application form, or an unsaved one with the defaults (GET never writes)."""
    form = ApplicationForm.objects.filter(run=run).first()
    return form if form is not None else ApplicationForm(run=run)


def questions_for(run: Run) -> list[Question]:
    return list(Question.objects.filter(form__run=run))


def quotas_for(run: Run) -> list[selection.Quota]:
    return [
        selection.Quota(kind=q.kind, column=q.column, value=q.value, count=q.count)  # type: ignore[arg-type]
        for q in run.quotas.all()
    ]


def selection_applicants(run: Run) -> list[selection.Applicant]:
    """Eligible submitted applications as the selector sees them: mean score (0 unscored)
    and the answers quotas can name."""
    return [
        selection.Applicant(
            id=str(application.pk),
            score=float(application.mean_score or 0.0),  # type: ignore[attr-defined]
            attributes=application.attributes(),
        )
        for application in run.applications.eligible().with_scores()
    ]


def application_list(run: Run, filters: Mapping[str, Any]) -> ApplicationQuerySet:
    """The coordinator's list: applications of the run with scores, decision and offer,
    filtered; a fixed number of queries whatever the length."""
    applications = (
        run.applications.with_scores()
        .select_related("applicant", "decision", "offer")
        .order_by("pk")
    )
    if filters.get("state"):
        applications = applications.filter(state=filters["state"])
    if filters.get("region"):
        applications = applications.filter(region=filters["region"])
    if filters.get("experience"):
        applications = applications.filter(experience=filters["experience"])
    if filters.get("outcome"):
        applications = applications.filter(decision__outcome=filters["outcome"])
    if filters.get("eligible") == "yes":
        applications = applications.filter(pk__in=run.applications.eligible().values("pk"))
    elif filters.get("eligible") == "no":
        applications = applications.exclude(pk__in=run.applications.eligible().values("pk"))
    if filters.get("search"):
        applications = applications.filter(applicant__display_name__icontains=filters["search"])
    return applications


def review_progress(run: Run) -> ApplicationQuerySet:
    """Eligible applications with their reviews (reviewer loaded) and score spread."""
    return (
        run.applications.eligible()
        .with_scores()
        .select_related("applicant")
        .prefetch_related(
            Prefetch("reviews", queryset=ApplicationReview.objects.select_related("reviewer"))
        )
        .order_by("-score_spread", "pk")  # type: ignore[misc]  # an annotation
    )


def answer_text(value: object) -> str:
    """An answer as text: the options of a multiple choice joined with commas."""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return "" if value is None else str(value)


YES_NO_LABELS = {"yes": _("Yes"), "no": _("No")}


def answer_rows(
    run: Run,
    questions: list[Question],
    answers: Mapping[str, Any],
    text: Callable[[str, str], str],
) -> list[tuple[str, str]]:
    """Each question's label and its answer as text, for people reading an application.
    `text` (unit key, source text) gives the label and the chosen options' labels in the
    reader's content language; the stored answer stays the source option."""
    rows = []
    for question in questions:
        value = answers.get(question.key)
        if question.kind == QuestionKind.YES_NO and value in YES_NO_LABELS:
            value = str(YES_NO_LABELS[value])
        elif question.kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE) and value is not None:
            numbers = {option: n for n, option in enumerate(question.option_list(), start=1)}
            value = [
                text(question_key(run, question, f"option.{numbers[item]}"), item)
                if item in numbers
                else item
                for item in (value if isinstance(value, list) else [value])
            ]
        rows.append(
            (text(question_key(run, question, "label"), question.label), answer_text(value))
        )
    return rows
