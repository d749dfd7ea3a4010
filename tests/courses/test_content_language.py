"""The course page and a run's home name the course and its runs in the reader's content
language, with the fallback marker where a text is not translated."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cohortkit.courses.models import Run
from tests.factories import CourseFactory, ModuleFactory, RunFactory, TopicFactory
from tests.factories.translations import publish_translations

pytestmark = pytest.mark.django_db
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}


@pytest.fixture
def run() -> Run:
    course = CourseFactory(title="Partnerships course", workload_note="More in week 4.")
    return RunFactory(course=course, title="February run", slug="feb")


def _html(url: str, **headers: str) -> str:
    response = Client().get(url, **headers)  # type: ignore[arg-type]
    assert response.status_code == 200
    return response.content.decode()


def test_course_page_names_its_runs_and_workload_in_the_content_language(run: Run) -> None:
    publish_translations(
        run.course,
        {
            "course.title": "Curso de alianzas",
            "course.workload": "Más en la semana 4.",
            "run.feb.title": "Edición de febrero",
        },
    )

    html = _html(f"/courses/{run.course.slug}/", **SPANISH)

    assert "<title>Curso de alianzas · cohortkit</title>" in html
    assert '/feb/">Edición de febrero</a> <span class="badge' in html
    assert "(Más en la semana 4.)</dd>" in html
    assert [text for text in ["Partnerships", "February run", "More in week"] if text in html] == []


def test_course_page_marks_an_untranslated_run_title(run: Run) -> None:
    publish_translations(run.course, {"course.title": "Curso de alianzas"})

    html = _html(f"/courses/{run.course.slug}/", **SPANISH)

    assert '<span lang="en" dir="ltr">February run</span> <span class="fallback"' in html


def test_run_home_names_course_and_run_in_the_content_language(run: Run) -> None:
    publish_translations(
        run.course, {"course.title": "Curso de alianzas", "run.feb.title": "Edición de febrero"}
    )

    html = _html(f"/courses/{run.course.slug}/feb/", **SPANISH)

    assert "<title>Curso de alianzas · Edición de febrero · cohortkit</title>" in html
    assert ">Curso de alianzas</a></p>" in html
    assert "<h1>Edición de febrero <span" in html
    assert [text for text in ["Partnerships", "February run"] if text in html] == []


def test_run_home_shows_the_source_run_title_with_the_marker_when_untranslated(run: Run) -> None:
    publish_translations(run.course, {"course.title": "Curso de alianzas"})

    response = Client().get(
        f"/courses/{run.course.slug}/feb/", HTTP_ACCEPT_LANGUAGE="es;q=0.9, en-GB;q=0.5"
    )

    html = response.content.decode()
    assert '<h1><span lang="en" dir="ltr">February run</span> <span class="fallback"' in html


def _queries(url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = Client().get(url, **SPANISH)  # type: ignore[arg-type]
    assert response.status_code == 200
    return len(context.captured_queries)


def test_course_page_in_spanish_makes_the_same_queries_for_one_or_many_runs() -> None:
    slugs = []
    for runs in (1, 5):
        course = CourseFactory()
        for _ in range(runs):
            module = ModuleFactory(run=RunFactory(course=course), position=1)
            TopicFactory(module=module, position=1)
        publish_translations(course, {"course.title": "Un curso"})
        slugs.append(course.slug)

    small, large = (_queries(f"/courses/{slug}/") for slug in slugs)

    # The English page's six, and two more for the Spanish version and its translations.
    assert small == large == 8
