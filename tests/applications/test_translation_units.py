"""The review rubric's criteria are translation units: listed by the registry, kept in step
when a criterion is saved, read by reviewers in their content language, and all in Spanish
in the demo."""

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cohortkit.applications.models import ApplicationReview, Criterion
from cohortkit.courses.demo import load_demo
from cohortkit.translations.models import SourceUnit, State, Translation
from cohortkit.translations.registry import collect_units
from cohortkit.translations.services import review_translation, save_translation, sync_units
from tests.conftest import Cast
from tests.factories.applications import (
    ApplicationFactory,
    ApplicationReviewFactory,
    CriterionFactory,
)
from tests.factories.translations import publish_translations

pytestmark = pytest.mark.django_db


@pytest.fixture
def rubric(cast: Cast) -> tuple[Criterion, Criterion]:
    """Two criteria on the cast's run, the second first on the page."""
    fit = CriterionFactory(run=cast.run, position=2, name="Fit with the audience", weight="0.4")
    motivation = CriterionFactory(run=cast.run, position=1, name="Motivation", weight="0.6")
    return motivation, fit


def _key(cast: Cast, criterion: Criterion) -> str:
    return f"applications.{cast.run.slug}.criterion.{criterion.pk}.name"


def test_the_registry_lists_each_criterion_by_position(
    cast: Cast, rubric: tuple[Criterion, Criterion]
) -> None:
    motivation, fit = rubric

    specs = collect_units(cast.run.course)

    ours = [(s.key, s.kind, s.text) for s in specs if ".criterion." in s.key]
    assert ours == [
        (_key(cast, motivation), "text", "Motivation"),
        (_key(cast, fit), "text", "Fit with the audience"),
    ]


def test_renaming_a_criterion_marks_exactly_its_name_outdated(
    cast: Cast,
    rubric: tuple[Criterion, Criterion],
    django_capture_on_commit_callbacks: Any,
) -> None:
    motivation, _fit = rubric
    course = cast.run.course
    sync_units(course)
    for unit in SourceUnit.objects.filter(course=course):
        translation = save_translation(
            unit, language="es", text=f"[es] {unit.text}", by=cast.coordinator,
            at=cast.run.applications_open_at,
        )  # fmt: skip
        review_translation(translation, by=cast.coordinator, at=cast.run.applications_open_at)
    # The fixture's saves queued a sync that the test transaction never commits.
    connection.run_on_commit.clear()

    with django_capture_on_commit_callbacks(execute=True):
        motivation.name = "Motivation and commitment"
        motivation.save()

    outdated = list(
        Translation.objects.filter(state=State.OUTDATED).values_list("unit__key", "language")
    )
    assert outdated == [(_key(cast, motivation), "es")]
    assert SourceUnit.objects.current().get(key=_key(cast, motivation)).text == (
        "Motivation and commitment"
    )


def _scoring_page(cast: Cast, texts: dict[str, str]) -> str:
    publish_translations(cast.run.course, texts)
    review = ApplicationReviewFactory(
        application=ApplicationFactory(run=cast.run, applicant=cast.other_participant),
        reviewer=cast.reviewer,
    )
    assert cast.reviewer is not None
    cast.reviewer.content_language = "es"
    cast.reviewer.save(update_fields=["content_language"])
    client: Client = cast.client_for("reviewer")
    response = client.get(
        reverse(
            "applications:review",
            kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "pk": review.pk},
        )
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_reviewer_reading_spanish_scores_on_the_spanish_criteria(
    cast: Cast, rubric: tuple[Criterion, Criterion]
) -> None:
    motivation, fit = rubric

    html = _scoring_page(
        cast,
        {_key(cast, motivation): "Motivación", _key(cast, fit): "Adecuación al público"},
    )

    assert "<legend>Motivación:</legend>" in html
    assert "<legend>Adecuación al público:</legend>" in html
    assert [text for text in ("Motivation", "Fit with the audience") if text in html] == []


def test_an_untranslated_criterion_is_scored_under_its_source_name(
    cast: Cast, rubric: tuple[Criterion, Criterion]
) -> None:
    motivation, _fit = rubric

    html = _scoring_page(cast, {_key(cast, motivation): "Motivación"})

    assert "<legend>Motivación:</legend>" in html
    assert "<legend>Fit with the audience:</legend>" in html


def test_scores_stay_keyed_by_criterion_when_the_names_are_translated(
    cast: Cast, rubric: tuple[Criterion, Criterion]
) -> None:
    motivation, fit = rubric
    _scoring_page(cast, {_key(cast, motivation): "Motivación"})
    review = ApplicationReview.objects.get()
    client = cast.client_for("reviewer")

    response = client.post(
        reverse(
            "applications:review",
            kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "pk": review.pk},
        ),
        {f"score_{motivation.pk}": "5", f"score_{fit.pk}": "3", "comment": ""},
    )

    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.scores, review.score) == (
        {str(motivation.pk): 5, str(fit.pk): 3},
        float(Decimal("5") * Decimal("0.6") + Decimal("3") * Decimal("0.4")),
    )


def test_the_demo_has_every_criterion_in_spanish() -> None:
    demo = load_demo()

    units = SourceUnit.objects.current().filter(
        course=demo.course, key__contains=".criterion.", key__startswith="applications."
    )
    spanish = dict(
        Translation.objects.filter(unit__in=units, language="es", state=State.REVIEWED).values_list(
            "unit__text", "text"
        )
    )
    assert sorted(unit.text for unit in units) == [
        "Fit with the audience",
        "Motivation",
        "Plan to share back",
    ]
    assert sorted({unit.text for unit in units} - spanish.keys()) == []
    assert [english for english, text in spanish.items() if text == english] == []
