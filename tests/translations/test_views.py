import pytest
from django.test import Client
from django.utils.html import escape

from cohortkit.accounts.models import User
from cohortkit.translations.checks import check_translation
from cohortkit.translations.models import LanguageVersion, SourceUnit, State, Translation
from cohortkit.translations.services import start_language, sync_units
from tests.access import view_names
from tests.conftest import ROLES, Cast
from tests.factories import CourseFactory, TopicFactory
from tests.payloads import DATA
from tests.queries import page_queries

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.translations.urls")]

# This module holds the translations app's access tests (see tests/test_url_access_coverage.py).
URL_NAMES = {
    "translations:overview",
    "translations:start",
    "translations:course_text",
    "translations:editor",
    "translations:settings",
    "translations:save",
    "translations:review",
    "translations:export",
    "translations:import",
    "translations:content_language",
}

ALL = [*ROLES, "translator"]


def _client(cast: Cast, role: str, translator: object) -> Client:
    if role == "translator":
        client = Client()
        client.force_login(translator)  # type: ignore[arg-type]
        return client
    return cast.client_for(role)


@pytest.fixture
def started(content: Cast) -> Cast:
    sync_units(content.run.course)
    start_language(content.run.course, language="es")
    return content


def _urls(cast: Cast) -> list[str]:
    slug = cast.run.course.slug
    return [
        f"/translations/{slug}/",
        f"/translations/{slug}/es/",
        f"/translations/{slug}/es/import/",
        f"/translations/{slug}/es/export/?file_format=po",
    ]


EXPECTED = {
    "anonymous": 302, "participant": 403, "other_participant": 403, "reviewer": 403,
    "facilitator": 200, "coordinator": 200, "translator": 200,
}  # fmt: skip


@pytest.mark.parametrize("role", ALL)
def test_translation_pages_open_for_translators_and_staff_only(
    started: Cast, translator: object, role: str
) -> None:
    client = _client(started, role, translator)
    statuses = {url: client.get(url).status_code for url in _urls(started)}
    assert statuses == dict.fromkeys(_urls(started), EXPECTED[role])


@pytest.mark.parametrize("role", ALL)
def test_course_text_page_is_public(started: Cast, translator: object, role: str) -> None:
    response = _client(started, role, translator).get(
        f"/translations/{started.run.course.slug}/read/"
    )
    assert response.status_code == 200


def _action_urls(cast: Cast) -> dict[str, str]:
    """POST-only URLs."""
    course = cast.run.course
    unit = SourceUnit.objects.get(course=course, key="course.title")
    return {
        "start": f"/translations/{course.slug}/start/",
        "save": f"/translations/{course.slug}/es/units/{unit.pk}/",
        "review": f"/translations/{course.slug}/es/units/{unit.pk}/review/",
        "settings": f"/translations/{course.slug}/es/settings/",
        "content_language": "/content-language/",
    }


@pytest.mark.parametrize("role", ALL)
def test_saving_and_approving_a_unit_need_the_right_role(
    started: Cast, translator: object, role: str
) -> None:
    unit = SourceUnit.objects.get(course=started.run.course, key="course.title")
    client = _client(started, role, translator)
    urls = _action_urls(started)
    saved = client.post(urls["save"], {"text": "Curso"})
    approved = client.post(urls["review"])
    published = client.post(urls["settings"], {"is_published": "on"})
    allowed = EXPECTED[role] == 200
    manager = role in {"facilitator", "coordinator"}
    # An anonymous visitor is sent to the login page (302) for POST as for GET.
    refused = 302 if role == "anonymous" else 403
    assert (saved.status_code, approved.status_code, published.status_code) == (
        302 if allowed else refused,
        302 if manager else refused,
        302 if manager else refused,
    )
    expected_state = State.REVIEWED if manager else State.TRANSLATED if allowed else None
    assert Translation.objects.filter(unit=unit).values_list("state", flat=True).first() == (
        expected_state
    )
    assert LanguageVersion.objects.get(language="es").is_published is manager


@pytest.mark.parametrize("role", ALL)
def test_starting_a_language_needs_a_translator_or_staff(
    started: Cast, translator: object, role: str
) -> None:
    course = started.run.course
    response = _client(started, role, translator).post(
        _action_urls(started)["start"], {"language": "fr"}
    )
    started_languages = sorted(
        LanguageVersion.objects.filter(course=course).values_list("language", flat=True)
    )
    if EXPECTED[role] == 200:
        assert (response.status_code, response["Location"], started_languages) == (
            302,
            f"/translations/{course.slug}/fr/",
            ["es", "fr"],
        )
    elif role == "anonymous":
        assert (response.status_code, started_languages) == (302, ["es"])
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert (response.status_code, started_languages) == (403, ["es"])


def test_starting_a_language_of_a_hidden_course_is_not_found(
    started: Cast, translator: object
) -> None:
    hidden = CourseFactory(is_published=False)
    response = _client(started, "translator", translator).post(
        f"/translations/{hidden.slug}/start/", {"language": "fr"}
    )
    assert (response.status_code, LanguageVersion.objects.filter(course=hidden).exists()) == (
        404,
        False,
    )


@pytest.mark.parametrize("role", ALL)
def test_post_only_urls_refuse_get(started: Cast, translator: object, role: str) -> None:
    client = _client(started, role, translator)
    urls = _action_urls(started)
    statuses = {name: client.get(url).status_code for name, url in urls.items()}
    # Anonymous visitors are asked to sign in first, whatever the method; choosing the
    # content language is open to them.
    refused = 302 if role == "anonymous" else 405
    assert statuses == dict.fromkeys(urls, refused) | {"content_language": 405}


@pytest.mark.parametrize("role", ALL)
def test_anybody_chooses_the_content_language(started: Cast, translator: object, role: str) -> None:
    LanguageVersion.objects.update(is_published=True)
    client = _client(started, role, translator)
    next_url = f"/translations/{started.run.course.slug}/read/"
    response = client.post(
        _action_urls(started)["content_language"], {"language": "es", "next": next_url}
    )
    person = translator if role == "translator" else started.users()[role]
    assert (response.status_code, response["Location"], client.session["content_language"]) == (
        302,
        next_url,
        "es",
    )
    in_profiles = list(User.objects.filter(content_language="es").values_list("pk", flat=True))
    assert in_profiles == ([] if person is None else [person.pk])  # type: ignore[attr-defined]


def test_another_courses_unit_answers_404(started: Cast, translator: object) -> None:
    other = TopicFactory()
    sync_units(other.module.run.course)
    foreign = SourceUnit.objects.filter(course=other.module.run.course).first()
    client = _client(started, "coordinator", translator)
    response = client.post(
        f"/translations/{started.run.course.slug}/es/units/{foreign.pk}/", {"text": "x"}
    )
    assert response.status_code == 404
    assert Translation.objects.count() == 0


@pytest.mark.parametrize("role", ALL)
def test_get_changes_nothing(started: Cast, translator: object, role: str) -> None:
    client = _client(started, role, translator)
    before = (list(Translation.objects.values()), list(LanguageVersion.objects.values()))
    for url in [
        *_urls(started),
        f"/translations/{started.run.course.slug}/read/",
        *_action_urls(started).values(),
    ]:
        client.get(url)
    assert (list(Translation.objects.values()), list(LanguageVersion.objects.values())) == before


def test_broken_placeholder_is_refused_with_a_message_and_keeps_the_typed_text(
    started: Cast, translator: object
) -> None:
    course = started.run.course
    unit = SourceUnit.objects.get(course=course, key__endswith="body.2")
    typed = "Lee la guía primero."
    response = _client(started, "translator", translator).post(
        f"/translations/{course.slug}/es/units/{unit.pk}/", {"text": typed}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Missing link markup: &lt;/a1&gt;, &lt;a1&gt;" in html
    assert f">{typed}</textarea>" in html
    assert Translation.objects.count() == 0


def test_without_javascript_a_refused_translation_is_named_in_the_error_summary(
    started: Cast, translator: object
) -> None:
    course = started.run.course
    unit = SourceUnit.objects.get(course=course, key__endswith="body.2")
    response = _client(started, "translator", translator).post(
        f"/translations/{course.slug}/es/units/{unit.pk}/", {"text": "Lee la guía primero."}
    )
    html = response.content.decode()
    start = html.index('class="error-summary"')
    summary = html[start : html.index("</ul>", start)]
    assert (
        response.status_code,
        f'<li><a href="#text-{unit.pk}">Translation</a>: Missing link markup:' in summary,
        f'<textarea id="text-{unit.pk}" name="text"' in html,
        f'<label for="text-{unit.pk}">' in html,
    ) == (400, True, True, True)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "Lee [la guía](//evil.example/guia) primero.",
            "Link to another site not in the source: //evil.example/guia (an address starting "
            "with // leads off this site; a translation may not add links of its own).",
        ),
        (
            "Lee la guía en https://evil.example/guia hoy.",
            "Web address not in the source: https://evil.example/guia.",
        ),
        (
            "Lee [la guía](javascript:fetch(1)) primero.",
            "Address not in the source: javascript:fetch (a translation may not add links "
            "of its own).",
        ),
    ],
)
def test_a_link_the_source_does_not_have_is_refused_in_the_editor(
    started: Cast, translator: object, typed: str, message: str
) -> None:
    course = started.run.course
    unit = SourceUnit.objects.get(course=course, key="course.summary")
    response = _client(started, "translator", translator).post(
        f"/translations/{course.slug}/es/units/{unit.pk}/", {"text": typed}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "//" not in unit.text
    assert f"<li>{escape(message)}</li>" in html
    assert f">{escape(typed)}</textarea>" in html
    assert Translation.objects.count() == 0


def test_htmx_save_returns_the_unit_row_saved(started: Cast, translator: object) -> None:
    course = started.run.course
    unit = SourceUnit.objects.get(course=course, key__endswith="body.2")
    response = _client(started, "translator", translator).post(
        f"/translations/{course.slug}/es/units/{unit.pk}/",
        {"text": "Lee la <a1>guía</a1> primero."},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article class="unit unit-translated" id="unit-{unit.pk}"')
    assert "Saved." in html
    assert Translation.objects.values_list("text", "state").get() == (
        "Lee la <a1>guía</a1> primero.",
        State.TRANSLATED,
    )


def test_naughty_translations_are_stored_exactly_and_never_executed(
    started: Cast, translator: object
) -> None:
    course = started.run.course
    unit = SourceUnit.objects.get(course=course, key="course.summary")
    client = _client(started, "translator", translator)
    payloads = [
        *(DATA / "patt-xss-quick.txt").read_text().splitlines()[:30],
        *(DATA / "patt-xss-polyglots.txt").read_text().splitlines()[:5],
    ]
    editor = f"/translations/{course.slug}/es/?state=translated"
    client.post(f"/translations/{course.slug}/es/units/{unit.pk}/", {"text": "Un curso."})
    baseline = client.get(editor).content.decode()
    tags = ["<script", "<img", "<svg", "<iframe", "<body", "<a ", "<input", "<marquee"]
    # What the checks refuse (placeholders, code, addresses not in the source) is tested
    # elsewhere; every other payload is stored exactly as typed.
    payloads = [p for p in payloads if p.strip() and not check_translation(unit.text, p)]
    assert len(payloads) >= 10
    for payload in payloads:
        client.post(f"/translations/{course.slug}/es/units/{unit.pk}/", {"text": payload})
        assert Translation.objects.get(unit=unit).text == payload
        html = client.get(editor).content.decode().lower()
        assert [html.count(tag) for tag in tags] == [baseline.lower().count(t) for t in tags]


def test_editor_makes_the_same_number_of_queries_for_one_or_many_units(
    started: Cast, translator: object
) -> None:
    client = _client(started, "coordinator", translator)
    url = f"/translations/{started.run.course.slug}/es/"

    few = page_queries(client, url)
    for position in range(2, 12):
        TopicFactory(module=started.run.modules.get(), position=position, body="A.\n\nB.")
    sync_units(started.run.course)
    assert page_queries(client, url) == few


def test_course_text_shows_reviewed_spanish_and_marks_the_rest_as_not_yet_translated(
    started: Cast,
) -> None:
    course = started.run.course
    unit = SourceUnit.objects.get(course=course, key="course.title")
    Translation.objects.create(unit=unit, language="es", text="Curso", state=State.REVIEWED)
    LanguageVersion.objects.update(is_published=True)
    client = Client()
    client.cookies["django_language"] = (
        "en"  # the interface stays English; content follows the browser
    )
    response = client.get(
        f"/translations/{course.slug}/read/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9"
    )
    html = response.content.decode()
    assert "<h1>Curso</h1>" in html
    assert (
        '<span lang="en" dir="ltr">A course.</span> <span class="fallback" lang="en">'
        "not yet translated</span>"
    ) in html
    assert "The course content on this page is in <strong>español</strong>" in html


def test_content_language_choice_is_kept_in_the_profile(started: Cast) -> None:
    LanguageVersion.objects.update(is_published=True)
    client = started.client_for("participant")
    response = client.post(
        "/content-language/", {"language": "es", "next": "/translations/x/read/"}
    )
    started.participant.refresh_from_db()
    assert (response.status_code, response["Location"], started.participant.content_language) == (
        302,
        "/translations/x/read/",
        "es",
    )


def test_url_names_are_the_ones_the_tables_request(started: Cast) -> None:
    requested = [
        *_urls(started),
        f"/translations/{started.run.course.slug}/read/",
        *_action_urls(started).values(),
    ]
    assert view_names(requested) == URL_NAMES


def test_overview_names_the_source_language_in_the_interface_language(
    content: Cast, translator: object
) -> None:
    client = _client(content, "translator", translator)
    url = f"/translations/{content.run.course.slug}/"
    english = client.get(url).content.decode()
    client.cookies["django_language"] = "es"
    spanish = client.get(url).content.decode()
    assert "The course is written in English;" in english
    assert "El curso está escrito en Inglés;" in spanish  # Django's own name for it
