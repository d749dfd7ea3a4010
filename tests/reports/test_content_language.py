"""The applications report names its run in the reader's content language."""

import pytest
from django.urls import reverse

from tests.conftest import Cast
from tests.factories.translations import publish_translations

pytestmark = pytest.mark.django_db


def test_applications_report_names_course_and_run_in_the_content_language(cast: Cast) -> None:
    run = cast.run
    publish_translations(run.course, {"course.title": "Curso de alianzas"})
    cast.coordinator.content_language = "es"
    cast.coordinator.save(update_fields=["content_language"])

    response = cast.client_for("coordinator").get(
        reverse("reports:applications", kwargs={"slug": run.course.slug, "run": run.slug})
    )

    html = response.content.decode()
    untranslated = f'<span lang="en" dir="ltr">{run.title}</span> <span class="fallback" lang="en">'
    assert f">Curso de alianzas · {untranslated}" in html
    assert run.course.title not in html
