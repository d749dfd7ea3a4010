"""Units the other apps contribute: assignments, the review rubric, application questions."""

from datetime import UTC, datetime
from io import StringIO

import polib
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from cohortkit.learning.models import Assignment
from cohortkit.translations.models import SourceUnit, State, Translation
from cohortkit.translations.services import (
    review_translation,
    save_translation,
    start_language,
    sync_units,
    update_language_version,
)
from tests.conftest import Cast
from tests.factories import open_run_window
from tests.factories.applications import ApplicationFormFactory
from tests.factories.learning import AssignmentFactory
from tests.factories.reviews import (
    CriterionFactory,
    FeedbackPromptFactory,
    FinalWorkFactory,
    ReviewFactory,
    ReviewStepFactory,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)

SPANISH = {
    "Partner map": "Mapa de socios",
    "Partner map instructions": "Instrucciones del mapa de socios",
    "List five <a1>organisations</a1> near you.": "Enumera cinco <a1>organizaciones</a1> cercanas.",
    "Partner fit": "Afinidad con el socio",
    "How well the partner's aims align with ours.": "Cuánto coinciden los objetivos del socio.",
    "What is strongest?": "¿Qué es lo más sólido?",
}


@pytest.fixture
def other_content(cast: Cast) -> Cast:
    """An assignment, a review step with one criterion and prompt, and an application form
    with a choice question, all on the cast's run."""
    AssignmentFactory(
        run=cast.run,
        title="Partner map",
        instructions=(
            "## Partner map instructions\n\n"
            "List five [organisations](https://example.org/orgs) near you.\n"
        ),
    )
    step = ReviewStepFactory(run=cast.run, instructions="Present your plan.")
    CriterionFactory(
        step=step, title="Partner fit", description="How well the partner's aims align with ours."
    )
    FeedbackPromptFactory(step=step, text="What is strongest?")
    form = ApplicationFormFactory(run=cast.run, introduction="Tell us about you.")
    form.questions.create(
        position=1,
        label="How is your English?",
        help_text="Be honest.",
        kind="choice",
        options="Fluent\nLearning",
    )
    return cast


def _translate_spanish(cast: Cast) -> None:
    course = cast.run.course
    sync_units(course)
    version = start_language(course, language="es")
    update_language_version(version, is_published=True, shows_unreviewed=False)
    for unit in SourceUnit.objects.filter(course=course):
        translation = save_translation(
            unit, language="es", text=SPANISH.get(unit.text, f"[es] {unit.text}"),
            by=cast.coordinator, at=cast.run.applications_open_at,
        )  # fmt: skip
        review_translation(translation, by=cast.coordinator, at=cast.run.applications_open_at)


def test_assignments_rubric_and_questions_appear_in_the_po_export(other_content: Cast) -> None:
    course = other_content.run.course
    sync_units(course)
    start_language(course, language="es")
    out = StringIO()

    call_command(
        "translations", "export", course.slug, "--language", "es", "--format", "po", stdout=out
    )

    entries = {entry.msgctxt: entry.msgid for entry in polib.pofile(out.getvalue())}
    run = other_content.run.slug
    assignment = Assignment.objects.get(run=other_content.run)
    step = other_content.run.review_step
    criterion, prompt = step.criteria.get(), step.prompts.get()
    question = other_content.run.application_form.questions.get()
    ours = {key: text for key, text in entries.items() if not key.startswith(("course.", "run."))}
    assert ours == {
        f"learning.{run}.assignment.{assignment.pk}.title": "Partner map",
        f"learning.{run}.assignment.{assignment.pk}.instructions.1": "Partner map instructions",
        f"learning.{run}.assignment.{assignment.pk}.instructions.2": (
            "List five <a1>organisations</a1> near you."
        ),
        f"reviews.{run}.instructions.1": "Present your plan.",
        f"reviews.{run}.criterion.{criterion.pk}.title": "Partner fit",
        f"reviews.{run}.criterion.{criterion.pk}.description": (
            "How well the partner's aims align with ours."
        ),
        f"reviews.{run}.prompt.{prompt.pk}": "What is strongest?",
        f"applications.{run}.introduction.1": "Tell us about you.",
        f"applications.{run}.privacy.1": str(other_content.run.application_form.privacy_notice),
        f"applications.{run}.q.{question.pk}.label": "How is your English?",
        f"applications.{run}.q.{question.pk}.help": "Be honest.",
        f"applications.{run}.q.{question.pk}.option.1": "Fluent",
        f"applications.{run}.q.{question.pk}.option.2": "Learning",
    }


def test_editing_assignment_instructions_marks_exactly_that_unit_outdated(
    other_content: Cast,
) -> None:
    _translate_spanish(other_content)
    assignment = Assignment.objects.get(run=other_content.run)
    assignment.instructions = assignment.instructions.replace("List five", "List six")
    assignment.save()

    report = sync_units(other_content.run.course)

    key = f"learning.{other_content.run.slug}.assignment.{assignment.pk}.instructions.2"
    assert report.changed == [key]
    outdated = list(
        Translation.objects.filter(state=State.OUTDATED).values_list("unit__key", "language")
    )
    assert outdated == [(key, "es")]


def test_saving_an_assignment_or_criterion_syncs_units_after_commit(
    other_content: Cast, django_capture_on_commit_callbacks: object
) -> None:
    sync_units(other_content.run.course)
    # The fixture's saves queued a sync that the test transaction never commits.
    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        assignment = Assignment.objects.get(run=other_content.run)
        assignment.title = "Map of partners"
        assignment.save()
        criterion = other_content.run.review_step.criteria.get()
        criterion.title = "Fit"
        criterion.save()
    run = other_content.run.slug
    texts = dict(
        SourceUnit.objects.filter(
            key__in=[
                f"learning.{run}.assignment.{assignment.pk}.title",
                f"reviews.{run}.criterion.{criterion.pk}.title",
            ]
        ).values_list("key", "text")
    )
    assert sorted(texts.values()) == ["Fit", "Map of partners"]


def test_learner_reading_spanish_sees_the_assignment_and_rubric_in_spanish(
    other_content: Cast,
) -> None:
    _translate_spanish(other_content)
    participant = other_content.participant
    participant.content_language = "es"
    participant.save(update_fields=["content_language"])
    run = other_content.run
    assignment = Assignment.objects.get(run=run)
    review = ReviewFactory(
        work=FinalWorkFactory(run=run, author=other_content.other_participant),
        reviewer=participant,
    )
    client = other_content.client_for("participant")
    args = {"slug": run.course.slug, "run": run.slug}

    assignment_page = client.get(
        reverse("learning:assignment", kwargs={**args, "pk": assignment.pk})
    )
    review_page = client.get(reverse("reviews:review", kwargs={**args, "pk": review.pk}))

    html = assignment_page.content.decode()
    assert (assignment_page.status_code, review_page.status_code) == (200, 200)
    assert "<h1>Mapa de socios</h1>" in html
    assert "Instrucciones del mapa de socios</h2>" in html
    assert '<p>Enumera cinco <a href="https://example.org/orgs"' in html
    assert "List five" not in html
    review_html = review_page.content.decode()
    assert "Afinidad con el socio" in review_html
    assert "Cuánto coinciden los objetivos del socio." in review_html
    assert "¿Qué es lo más sólido?" in review_html
    assert "Partner fit" not in review_html


@time_machine.travel(NOW, tick=False)
def test_applicant_reading_spanish_sees_the_questions_in_spanish(other_content: Cast) -> None:
    open_run_window(other_content.run, NOW)
    _translate_spanish(other_content)
    applicant = other_content.other_participant
    applicant.content_language = "es"
    applicant.save(update_fields=["content_language"])
    run = other_content.run
    client = other_content.client_for("other_participant")

    html = client.get(
        reverse("applications:apply", kwargs={"slug": run.course.slug, "run": run.slug})
    ).content.decode()

    assert "[es] How is your English?" in html
    assert "[es] Be honest." in html
    assert "[es] Tell us about you." in html
    # The stored answer stays the source option; only its label is translated.
    assert 'value="Fluent"' in html
    assert "[es] Fluent" in html
