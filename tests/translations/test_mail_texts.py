"""`mail_texts`: a course's texts in every language a mailing needs, from one load."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cohortkit.translations.mail import mail_texts, mail_titles
from cohortkit.translations.models import SourceUnit, State
from tests.factories import RunFactory, UserFactory
from tests.factories.translations import TranslationFactory, publish_translations

pytestmark = pytest.mark.django_db


def test_each_language_gets_its_published_translation_or_the_source() -> None:
    run = RunFactory(title="February run", course__title="Partnerships course")
    publish_translations(
        run.course, {"course.title": "Curso de alianzas", f"run.{run.slug}.title": "Febrero"}
    )
    publish_translations(run.course, {"course.title": "Cours d'alliances"}, language="fr")
    # Translated but not reviewed: learners of a version that hides those never see it.
    TranslationFactory(
        unit=SourceUnit.objects.get(course=run.course, key=f"run.{run.slug}.title"),
        language="fr",
        text="Février",
        state=State.TRANSLATED,
    )

    with CaptureQueriesContext(connection) as queries:
        texts = mail_texts(run.course, ["es", "es-mx", "fr", "en", "ar"], runs=[run])

    titles = {
        language: (texts[language].text("course.title", "Partnerships course"),
                   texts[language].text(f"run.{run.slug}.title", "February run"))
        for language in texts
    }  # fmt: skip
    assert titles == {
        "es": ("Curso de alianzas", "Febrero"),
        "es-mx": ("Curso de alianzas", "Febrero"),  # Spanish, as a page would show it
        "fr": ("Cours d'alliances", "February run"),
        "en": ("Partnerships course", "February run"),
        "ar": ("Partnerships course", "February run"),  # not published in Arabic
    }
    assert len(queries) == 2


def test_a_title_changed_since_its_translation_shows_the_new_source() -> None:
    run = RunFactory(course__title="Partnerships course")
    publish_translations(run.course, {"course.title": "Curso de alianzas"})

    texts = mail_texts(run.course, ["es"])

    assert texts["es"].text("course.title", "Partnerships course, second edition") == (
        "Partnerships course, second edition"
    )


def test_mail_in_the_courses_own_language_makes_no_query() -> None:
    run = RunFactory(course__title="Partnerships course")
    publish_translations(run.course, {"course.title": "Curso de alianzas"})

    with CaptureQueriesContext(connection) as queries:
        texts = mail_texts(run.course, ["en"], runs=[run])

    assert (texts["en"].text("course.title", "Partnerships course"), len(queries)) == (
        "Partnerships course",
        0,
    )


def test_mail_titles_name_the_course_and_run_in_the_mails_language() -> None:
    run = RunFactory(title="February run", course__title="Partnerships course")
    publish_translations(
        run.course, {"course.title": "Curso de alianzas", f"run.{run.slug}.title": "Febrero"}
    )
    texts = mail_texts(run.course, ["es", "fr"], runs=[run])

    assert [mail_titles(run, texts[language]) for language in ("es", "fr")] == [
        {
            "course_title": "Curso de alianzas",
            "run_title": "Febrero",
            "run_name": "Curso de alianzas (Febrero)",
        },
        {
            "course_title": "Partnerships course",
            "run_title": "February run",
            "run_name": "Partnerships course (February run)",
        },
    ]


def test_mail_goes_out_in_the_interface_language_or_english() -> None:
    assert [UserFactory(interface_language=code).mail_language for code in ("fr", "")] == [
        "fr",
        "en",
    ]
