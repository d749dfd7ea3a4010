"""Application pages name the run, the questions and the chosen options in the reader's
content language, with the fallback marker where a text is not translated."""

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from cohortkit.applications.forms import question_field
from cohortkit.applications.models import Application, Question
from cohortkit.translations.models import State
from cohortkit.translations.queries import TextLookup
from tests.conftest import Cast
from tests.factories.applications import (
    ApplicationFactory,
    ApplicationFormFactory,
    ApplicationReviewFactory,
)
from tests.factories.translations import publish_translations
from tests.queries import page_queries

pytestmark = pytest.mark.django_db
FALLBACK = '<span class="fallback" lang="en">not yet translated</span>'


@dataclass
class Applied:
    cast: Cast
    question: Question
    application: Application

    def url(self, name: str, **kwargs: object) -> str:
        run = self.cast.run
        return reverse(
            f"applications:{name}", kwargs={"slug": run.course.slug, "run": run.slug, **kwargs}
        )

    def spanish(self) -> dict[str, str]:
        run = self.cast.run.slug
        return {
            "course.title": "Curso de alianzas",
            f"run.{run}.title": "Edición de febrero",
            f"applications.{run}.q.{self.question.pk}.label": "¿Qué tal tu inglés?",
            f"applications.{run}.q.{self.question.pk}.option.2": "Aprendiendo",
        }

    def reader(self, role: str) -> Client:
        person = self.cast.users()[role]
        assert person is not None
        person.content_language = "es"
        person.save(update_fields=["content_language"])
        return self.cast.client_for(role)


@pytest.fixture
def applied(cast: Cast) -> Applied:
    """A form with a choice question, and the other participant's answer to it."""
    cast.run.course.title = "Partnerships course"
    cast.run.course.save()
    cast.run.title = "February run"
    cast.run.save()
    form = ApplicationFormFactory(run=cast.run)
    question = form.questions.create(
        position=1, label="How is your English?", kind="choice", options="Fluent\nLearning"
    )
    application = ApplicationFactory(
        run=cast.run, applicant=cast.other_participant, answers={question.key: "Learning"}
    )
    return Applied(cast, question, application)


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


ENGLISH = ["Partnerships course", "February run", "How is your English?", "Learning"]


def test_application_page_names_course_and_run_in_the_content_language(applied: Applied) -> None:
    publish_translations(applied.cast.run.course, applied.spanish())

    html = _html(applied.reader("other_participant"), applied.url("apply"))

    assert "<title>Your application · Curso de alianzas · cohortkit</title>" in html
    assert ">Curso de alianzas · Edición de febrero</a></nav>" in html
    assert [text for text in ENGLISH if text in html] == []


def test_application_page_marks_an_untranslated_run_title(applied: Applied) -> None:
    spanish = applied.spanish()
    del spanish[f"run.{applied.cast.run.slug}.title"]
    publish_translations(applied.cast.run.course, spanish)

    html = _html(applied.reader("other_participant"), applied.url("apply"))

    assert f'Curso de alianzas · <span lang="en" dir="ltr">February run</span> {FALLBACK}' in html


def test_coordinator_and_reviewer_read_questions_and_choices_in_the_content_language(
    applied: Applied,
) -> None:
    publish_translations(applied.cast.run.course, applied.spanish())
    review = ApplicationReviewFactory(
        application=applied.application, reviewer=applied.cast.reviewer
    )

    detail = _html(applied.reader("coordinator"), applied.url("detail", pk=applied.application.pk))
    scoring = _html(applied.reader("reviewer"), applied.url("review", pk=review.pk))

    for html in (detail, scoring):
        assert '<dt>¿Qué tal tu inglés?</dt><dd class="answer">Aprendiendo</dd>' in html
        assert [text for text in ENGLISH if text in html] == []


def test_rule_and_quota_pickers_name_the_questions_in_the_content_language(
    applied: Applied,
) -> None:
    untranslated = applied.question.form.questions.create(
        position=2, label="Do you edit a wiki?", kind="yes-no"
    )
    publish_translations(applied.cast.run.course, applied.spanish())
    client = applied.reader("coordinator")

    setup = _html(client, applied.url("setup"))
    selection = _html(client, applied.url("selection"))

    for html in (setup, selection):
        assert f'<option value="{applied.question.key}">¿Qué tal tu inglés?</option>' in html
        # Untranslated: the source as plain text, since an <option> holds no marker.
        assert f'<option value="{untranslated.key}">Do you edit a wiki?</option>' in html
        assert f'<option value="{applied.question.key}">How is your English?' not in html


def test_rule_and_quota_pickers_make_the_same_queries_for_one_or_many_questions(
    applied: Applied,
) -> None:
    publish_translations(applied.cast.run.course, applied.spanish())
    client = applied.reader("coordinator")
    urls = [applied.url("setup"), applied.url("selection")]
    one = [page_queries(client, url) for url in urls]
    for position in range(2, 8):
        applied.question.form.questions.create(
            position=position, label=f"Question {position}", kind="choice", options="A\nB"
        )

    many = [page_queries(client, url) for url in urls]
    pages = [_html(client, url) for url in urls]

    assert many == one
    spanish = f'<option value="{applied.question.key}">¿Qué tal tu inglés?</option>'
    assert [spanish in html for html in pages] == [True, True]


def test_an_untranslated_question_shows_isolated_in_english_with_the_marker(
    applied: Applied,
) -> None:
    spanish = applied.spanish()
    del spanish[f"applications.{applied.cast.run.slug}.q.{applied.question.pk}.label"]
    course = applied.cast.run.course
    publish_translations(course, spanish)
    texts = TextLookup(course, "es", states=[State.REVIEWED, State.TRANSLATED])

    field = question_field(applied.question, applied.cast.run, texts.get)

    assert field.label == f'<span lang="en" dir="ltr">How is your English?</span> {FALLBACK}'
    assert field.choices == [  # type: ignore[attr-defined]
        ("Fluent", f'<span lang="en" dir="ltr">Fluent</span> {FALLBACK}'),
        ("Learning", "Aprendiendo"),
    ]


def test_a_run_title_of_only_digits_and_dashes_is_never_flagged(applied: Applied) -> None:
    applied.cast.run.title = "2027-01-11"
    applied.cast.run.save()
    spanish = applied.spanish()
    del spanish[f"run.{applied.cast.run.slug}.title"]
    publish_translations(applied.cast.run.course, spanish)

    html = _html(applied.reader("other_participant"), applied.url("apply"))

    assert ">Curso de alianzas · 2027-01-11</a></nav>" in html
    assert FALLBACK not in html
