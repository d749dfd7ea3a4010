"""Reads about applications reused by views, services, the demo and reports."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cohortkit.accounts.forms import LANGUAGE_CHOICES
from cohortkit.accounts.models import Region
from cohortkit.accounts.timezones import zone_names
from cohortkit.applications import selection
from cohortkit.applications.models import (
    ApplicationForm,
    ApplicationQuerySet,
    ApplicationReview,
    Experience,
    Question,
    QuestionKind,
)
from cohortkit.applications.translation_units import question_key
from cohortkit.courses.models import Run


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


def quota_values(
    run: Run, text: Callable[[str, str], str] | None = None
) -> dict[str, list[tuple[str, str]]]:
    """The answers each column quotas and rules can name allows, as (stored value, label):
    the built-in answers' choices and each choice question's options; with `text` (unit key,
    source text) the questions' options labelled in the reader's content language."""
    values: dict[str, list[tuple[str, str]]] = {
        "region": [(value, str(label)) for value, label in Region.choices],
        "experience": [(value, str(label)) for value, label in Experience.choices],
        "language": [(value, str(label)) for value, label in LANGUAGE_CHOICES],
        "timezone": [(name, name) for name in zone_names()],
    }
    for question in questions_for(run):
        if question.kind == QuestionKind.YES_NO:
            values[question.key] = [(key, str(label)) for key, label in YES_NO_LABELS.items()]
        elif question.kind in (QuestionKind.CHOICE, QuestionKind.MULTIPLE):
            values[question.key] = [
                (
                    option,
                    option
                    if text is None
                    else text(question_key(run, question, f"option.{number}"), option),
                )
                for number, option in enumerate(question.option_list(), start=1)
            ]
    return values


LISTED_VALUES = 20  # a message lists the allowed answers when there are at most this many


def quota_value_error(
    column: str, value: str, allowed: Mapping[str, list[tuple[str, str]]]
) -> str | None:
    """Why `value` is not an answer of `column` (naming the answers allowed), or None."""
    choices = allowed.get(column)
    if choices is None:
        return str(_("“%(column)s” is not an answer quotas can name.") % {"column": column})
    if value in {stored for stored, _label in choices}:
        return None
    if len(choices) <= LISTED_VALUES:
        return str(
            _("“%(value)s” is not one of the answers allowed here: %(allowed)s.")
            % {
                "value": value,
                "allowed": ", ".join(f"{label} ({stored})" for stored, label in choices),
            }
        )
    return str(
        _("“%(value)s” is not one of the %(count)s answers allowed here.")
        % {"value": value, "count": len(choices)}
    )


def selection_applicants(
    run: Run, *, include_unreviewed: bool = False
) -> list[selection.Applicant]:
    """Eligible submitted applications as the selector sees them: the mean of their
    submitted reviews and the answers quotas can name. Applicants with no submitted review
    are left out (never scored 0) unless `include_unreviewed` (promotion down a waitlist
    they were put on at the end)."""
    applications = run.applications.eligible().with_scores()
    if not include_unreviewed:
        applications = applications.filter(review_count__gt=0)  # type: ignore[misc]  # an annotation
    return [
        selection.Applicant(
            id=str(application.pk),
            score=float(application.mean_score or 0.0),  # type: ignore[attr-defined]
            attributes=application.attributes(),
        )
        for application in applications
    ]


@dataclass(frozen=True)
class Readiness:
    """Whether a run's decisions can be recorded now: the window closed and every review in."""

    closes_at: datetime
    zone: str
    is_closed: bool
    reviews_assigned: int
    reviews_missing: int
    unreviewed: int

    @property
    def is_ready(self) -> bool:
        return self.is_closed and not self.reviews_missing and not self.unreviewed

    def missing(self) -> str:
        """What is missing, in the active language: '134 of 198 reviews missing; window
        closes 14 Jan 2021 23:59 UTC'. Empty when ready."""
        parts = []
        if self.reviews_missing:
            parts.append(
                ngettext(
                    "%(missing)s of %(assigned)s review missing",
                    "%(missing)s of %(assigned)s reviews missing",
                    self.reviews_assigned,
                )
                % {"missing": self.reviews_missing, "assigned": self.reviews_assigned}
            )
        if self.unreviewed:
            parts.append(
                ngettext(
                    "%(count)s eligible applicant has no review",
                    "%(count)s eligible applicants have no review",
                    self.unreviewed,
                )
                % {"count": self.unreviewed}
            )
        if not self.is_closed:
            local = self.closes_at.astimezone(ZoneInfo(self.zone))
            parts.append(
                gettext("window closes %(when)s")
                % {"when": f"{date_format(local, 'j M Y H:i')} {local.tzname()}"}
            )
        return "; ".join(parts)


def selection_readiness(run: Run, *, at: datetime) -> Readiness:
    """Counts of the reviews still missing and of eligible applicants nobody reviewed, and
    whether the application window has closed at `at`."""
    counts = (
        run.applications.eligible().with_scores().values("assigned_count", "review_count")  # type: ignore[misc]  # annotations
    )
    assigned = missing = unreviewed = 0
    for row in counts:
        assigned += row["assigned_count"]
        missing += row["assigned_count"] - row["review_count"]
        unreviewed += row["review_count"] == 0
    return Readiness(
        closes_at=run.applications_close_at,
        zone=run.timezone or "UTC",
        is_closed=at >= run.applications_close_at,
        reviews_assigned=assigned,
        reviews_missing=missing,
        unreviewed=unreviewed,
    )


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
