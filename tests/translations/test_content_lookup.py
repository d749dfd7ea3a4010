"""One load of a course's translations per request, shared by a view and its templates."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory
from pytest_django import DjangoAssertNumQueries

from cohortkit.translations.queries import content_lookup
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

    # The languages on offer, the Spanish version, its translations: three, then none.
    with django_assert_num_queries(3):
        from_view = content_lookup(request, course).text("course.title", course.title)
        shown = [page.render(Context({"request": request, "course": course})) for _ in range(2)]

    assert (from_view, shown) == ("Curso de alianzas", ["Curso de alianzas"] * 2)
