import pytest
from django.test import Client

from cohortkit.translations.models import SourceUnit, State, Translation
from cohortkit.translations.services import start_language, sync_units
from tests.conftest import Cast

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.translations.urls")]


def _client(cast: Cast, role: str, translator: object) -> Client:
    if role == "translator":
        client = Client()
        client.force_login(translator)  # type: ignore[arg-type]
        return client
    return cast.client_for(role)


def test_smoke_editor(content: Cast, translator: object) -> None:
    course = content.run.course
    sync_units(course)
    start_language(course, language="es")
    client = _client(content, "translator", translator)
    for url in [
        f"/translations/{course.slug}/",
        f"/translations/{course.slug}/es/",
        f"/translations/{course.slug}/es/?state=untranslated",
        f"/translations/{course.slug}/es/import/",
        f"/translations/{course.slug}/read/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content.decode()[:3000])
    unit = SourceUnit.objects.get(course=course, key=f"run.{content.run.slug}.m1.t1.body.2")
    response = client.post(
        f"/translations/{course.slug}/es/units/{unit.pk}/",
        {"text": "Lee la guía primero."},
        HTTP_HX_REQUEST="true",
    )
    print(response.content.decode())
    response = client.post(
        f"/translations/{course.slug}/es/units/{unit.pk}/",
        {"text": "Lee la <a1>guía</a1> primero."},
        HTTP_HX_REQUEST="true",
    )
    print(response.content.decode())
    assert Translation.objects.get().state == State.TRANSLATED
    response = client.get(f"/translations/{course.slug}/es/export/?file_format=xliff")
    print(response.content.decode())
