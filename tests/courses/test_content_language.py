"""The course page and a run's home name the course and its runs in the reader's content
language, with the fallback marker where a text is not translated."""

import pytest
from django.test import Client

from cohortkit.courses.models import Run
from tests.factories import CourseFactory, ModuleFactory, RunFactory, TopicFactory
from tests.factories.translations import publish_translations
from tests.queries import page_queries

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


def test_course_page_in_spanish_makes_the_same_queries_for_one_or_many_runs() -> None:
    slugs = []
    for runs in (1, 5):
        course = CourseFactory()
        for _ in range(runs):
            module = ModuleFactory(run=RunFactory(course=course), position=1)
            TopicFactory(module=module, position=1)
        publish_translations(course, {"course.title": "Un curso"})
        slugs.append(course.slug)

    small, large = (page_queries(Client(), f"/courses/{slug}/", **SPANISH) for slug in slugs)

    # The English page's six, its language versions among them, and one more for the
    # Spanish translations.
    assert small == large == 7


def test_catalogue_shows_course_title_summary_and_run_titles_in_the_content_language(
    run: Run,
) -> None:
    run.course.summary = "Work with other groups."
    run.course.save()
    RunFactory(course=run.course, title="Self-study", slug="self")
    publish_translations(
        run.course,
        {
            "course.title": "Curso de alianzas",
            "course.summary": "Trabajar con otros grupos.",
            "run.feb.title": "Edición de febrero",
            "run.self.title": "Estudio por tu cuenta",
        },
    )

    html = _html("/", **SPANISH)

    assert f'<a href="/courses/{run.course.slug}/">Curso de alianzas</a></h2>' in html
    assert "<p>Trabajar con otros grupos.</p>" in html
    assert '/feb/">Edición de febrero</a>:' in html
    assert '/self/">Estudio por tu cuenta</a>:' in html
    english = ["Partnerships course", "Work with other", "February run", "Self-study"]
    assert [text for text in english if text in html] == []


def test_catalogue_marks_untranslated_texts_and_keeps_english_for_english_readers(
    run: Run,
) -> None:
    publish_translations(run.course, {"course.title": "Curso de alianzas"})

    spanish = _html("/", **SPANISH)
    english = _html("/", HTTP_ACCEPT_LANGUAGE="en")

    assert '<span lang="en" dir="ltr">February run</span> <span class="fallback"' in spanish
    assert ">Curso de alianzas</a></h2>" in spanish
    assert ">Partnerships course</a></h2>" in english
    assert '/feb/">February run</a>:' in english
    assert "Curso de alianzas" not in english


def test_catalogue_in_spanish_makes_the_same_queries_for_one_or_many_courses_and_runs() -> None:
    def course_with_runs(runs: int) -> None:
        course = CourseFactory()
        for _ in range(runs):
            ModuleFactory(run=RunFactory(course=course), position=1)
        publish_translations(
            course,
            {"course.title": f"Curso {course.pk}"}
            | {f"run.{run.slug}.title": f"Edición {run.pk}" for run in course.runs.all()},
        )

    course_with_runs(3)
    one = page_queries(Client(), "/", **SPANISH)
    for _ in range(4):
        course_with_runs(4)
    many = page_queries(Client(), "/", **SPANISH)

    html = _html("/", **SPANISH)
    # Courses, runs, every course's published versions, and all their Spanish titles.
    assert (one, many, html.count("Edición ")) == (4, 4, 19)
