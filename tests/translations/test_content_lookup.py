"""One load of a course's translations per request, shared by a view and its templates."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries

from cohortkit.translations.queries import content_lookup, content_texts, load_content_texts
from tests.factories import CourseFactory
from tests.factories.translations import publish_translations

pytestmark = pytest.mark.django_db


def test_a_view_and_its_templates_load_the_translations_once_per_request(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    course = CourseFactory(title="Partnerships course")
    publish_translations(course, {"course.title": "Curso de alianzas"})
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="es")
    request.user = AnonymousUser()
    page = Template("{% load translations %}{% translated course 'course.title' course.title %}")

    # The published versions (the languages on offer), their translations: two, then none.
    with django_assert_num_queries(2):
        from_view = content_lookup(request, course).text("course.title", course.title)
        shown = [page.render(Context({"request": request, "course": course})) for _ in range(2)]

    assert (from_view, shown) == ("Curso de alianzas", ["Curso de alianzas"] * 2)


def test_many_courses_load_in_two_queries_each_in_the_readers_language() -> None:
    spanish = CourseFactory(title="Partnerships course")
    publish_translations(spanish, {"course.title": "Curso de alianzas"})
    french = CourseFactory(title="Evaluation course")
    publish_translations(french, {"course.title": "Cours de partenariat"}, language="fr")
    english_only = CourseFactory(title="Wiki course")
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="es, fr;q=0.5")
    request.user = AnonymousUser()
    courses = [spanish, french, english_only]

    # Every course's published versions, then the translations of all of them.
    with CaptureQueriesContext(connection) as loading:
        load_content_texts(request, courses, keys={"course.title"})
    with CaptureQueriesContext(connection) as reading:
        titles = [content_lookup(request, c).text("course.title", c.title) for c in courses]

    assert (len(loading), len(reading)) == (2, 0)
    assert titles == ["Curso de alianzas", "Cours de partenariat", "Wiki course"]
    assert [content_texts(request, c)[1] for c in courses] == [["en", "es"], ["en", "fr"], ["en"]]


def test_a_lookup_loaded_for_some_keys_loads_the_rest_of_its_course_when_asked(
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    course = CourseFactory(title="Partnerships course", audience="Volunteers")
    publish_translations(
        course, {"course.title": "Curso de alianzas", "course.audience": "Voluntarios"}
    )
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="es")
    request.user = AnonymousUser()
    load_content_texts(request, [course], keys={"course.title"})
    lookup = content_lookup(request, course)

    with django_assert_num_queries(1):
        texts = [
            lookup.text("course.title", course.title),
            lookup.text("course.audience", course.audience),
            lookup.text("course.title", course.title),
        ]

    assert texts == ["Curso de alianzas", "Voluntarios", "Curso de alianzas"]
