"""Public pages kept for anonymous visitors (accounts/page_cache.py): served again without
the database, never stale after an edit of anything they show, never to someone signed in,
and with each visitor's own CSRF token."""

import re
import socket
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import redis
import time_machine
from django.db import connection
from django.middleware.csrf import (  # type: ignore[attr-defined]
    CSRF_ALLOWED_CHARS,
    _unmask_cipher_token,  # noqa: PLC2701 - checks our tokens with Django's own unmasking
)
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from cohortkit.accounts import page_cache
from cohortkit.courses.models import Run
from cohortkit.learning.services.certificates import revoke_certificate
from cohortkit.translations.models import State, Translation
from tests.factories import CourseFactory, ModuleFactory, RunFactory, RunRoleFactory, TopicFactory
from tests.factories.learning import CertificateFactory
from tests.factories.translations import publish_translations

pytestmark = pytest.mark.django_db
SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}
NOW = datetime(2021, 1, 10, 12, tzinfo=UTC)


@pytest.fixture
def run() -> Run:
    course = CourseFactory(title="Partnerships course", slug="partnerships")
    run = RunFactory(
        course=course,
        title="February run",
        slug="feb",
        applications_open_at=NOW - timedelta(days=20),
        applications_close_at=NOW + timedelta(days=4),
    )
    module = ModuleFactory(run=run, position=1, title="Preparing to partner")
    TopicFactory(module=module, position=1, title="Know yourself")
    return run


def _get(url: str, client: Client | None = None, **headers: str) -> tuple[str, int]:
    """The page's HTML and how many queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = (client or Client()).get(url, **headers)  # type: ignore[arg-type]
    assert response.status_code == 200
    return response.content.decode(), len(queries.captured_queries)


PAGES = ["/", "/courses/", "/courses/partnerships/", "/accounts/login/"]


@pytest.mark.parametrize("url", PAGES)
def test_a_public_page_is_served_again_without_the_database(run: Run, url: str) -> None:
    first, _ = _get(url)
    again, queries = _get(url)

    assert queries == 0
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')
    assert token.sub("", again) == token.sub("", first)


def test_each_visitor_gets_a_token_that_passes_the_csrf_check(run: Run) -> None:
    _get("/accounts/login/")  # kept
    visitor = Client(enforce_csrf_checks=True)
    html, queries = _get("/accounts/login/", visitor)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)

    assert queries == 0
    assert token is not None
    response = visitor.post(
        "/i18n/setlang/", {"language": "es", "next": "/", "csrfmiddlewaretoken": token.group(1)}
    )
    assert response.status_code == 302
    refused = Client(enforce_csrf_checks=True).post(
        "/i18n/setlang/", {"language": "es", "csrfmiddlewaretoken": token.group(1)}
    )
    assert refused.status_code == 403


def test_editing_the_course_run_module_and_topic_shows_at_once(run: Run) -> None:
    for url in PAGES[:3]:
        _get(url)
    course = run.course
    course.title = "Alliances course"
    course.save()
    run.title = "March run"
    run.save()
    module = run.modules.get()
    module.title = "Getting ready"
    module.save()
    topic = module.topics.get()
    topic.title = "Who you are"
    topic.save()

    for url in PAGES[1:3]:
        html, _ = _get(url)
        assert "Alliances course" in html
        assert "March run" in html
        assert "Partnerships course" not in html
    html, _ = _get("/courses/partnerships/")
    assert "Getting ready" in html
    assert "Who you are" in html


def test_a_coordinators_new_name_shows_at_once(run: Run) -> None:
    role = RunRoleFactory(run=run, role="coordinator", user__display_name="Ana Old")
    assert "Ana Old" in _get("/courses/partnerships/")[0]

    role.user.display_name = "Ana New"
    role.user.save()

    html, _ = _get("/courses/partnerships/")
    assert "Ana New" in html
    assert "Ana Old" not in html


def test_a_new_or_edited_translation_shows_at_once(run: Run) -> None:
    _get("/courses/partnerships/", **SPANISH)
    publish_translations(run.course, {"course.title": "Curso de alianzas"})
    assert "Curso de alianzas" in _get("/courses/partnerships/", **SPANISH)[0]

    translation = Translation.objects.get(unit__key="course.title", language="es")
    translation.text = "Curso sobre alianzas"
    translation.state = State.REVIEWED
    translation.save()

    html, _ = _get("/courses/partnerships/", **SPANISH)
    assert "Curso sobre alianzas" in html
    # The English page was not replaced by the Spanish one, nor the other way round.
    assert "Curso" not in _get("/courses/partnerships/")[0]


def test_each_interface_language_has_its_own_copy(run: Run) -> None:
    english, _ = _get("/accounts/login/")
    spanish, _ = _get("/accounts/login/", **SPANISH)

    assert '<html lang="en"' in english
    assert '<html lang="es"' in spanish


def test_a_revoked_certificate_says_so_at_once(run: Run) -> None:
    certificate = CertificateFactory(run=run, name="Ana Example")
    url = f"/certificates/{certificate.code}/"
    valid, _ = _get(url)
    assert _get(url)[1] == 0

    revoke_certificate(certificate, reason="Issued by mistake", at=NOW)

    revoked, _ = _get(url)
    assert "This certificate is valid." in valid
    assert "This certificate has been revoked." in revoked


def test_the_apply_button_goes_when_the_window_closes(run: Run) -> None:
    close = run.applications_close_at
    with time_machine.travel(close - timedelta(minutes=1), tick=False):
        html, _ = _get("/courses/partnerships/")
        assert "/feb/apply/" in html
    with time_machine.travel(close + timedelta(seconds=1), tick=False):
        html, _ = _get("/courses/partnerships/")
        assert "/feb/apply/" not in html
        assert "Applications are closed." in html


def test_signed_in_people_never_get_the_kept_copy(run: Run) -> None:
    _get("/courses/")
    person = RunRoleFactory(run=run, role="participant", user__display_name="Bea Signed").user
    client = Client()
    client.force_login(person)

    html, queries = _get("/courses/", client)

    assert "Bea Signed" in html
    assert queries > 0


def _redis_up() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379 (started by .ci/run)")
def test_with_a_shared_cache_the_version_lives_in_it_and_never_goes_back(
    run: Run, settings: object
) -> None:
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "cohortkit.redis_cache.RedisCache",  # as in production
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": prefix,  # its own keys: no clear() of others'
        }
    }
    from django.core.cache import cache  # noqa: PLC0415 - the overridden backend

    try:
        _get("/courses/")
        assert _get("/courses/")[1] == 0
        cache.delete("public-pages:version")  # the cache dropped it: not back to the start

        assert _get("/courses/")[1] > 0
        run.course.title = "Alliances course"
        run.course.save()
        assert "Alliances course" in _get("/courses/")[0]
    finally:
        # Every key it made (the versions live without an expiry), and no one else's.
        shared = redis.Redis.from_url("redis://127.0.0.1:6379/15")
        for key in shared.scan_iter(f"{prefix}:*"):
            shared.delete(key)


def test_configuring_wiki_sign_in_shows_its_button_at_once(run: Run, settings: object) -> None:
    before, _ = _get("/accounts/login/")
    assert "Sign in with Wikimedia" not in before

    settings.WIKI_OAUTH_CLIENT_ID = "client"  # type: ignore[attr-defined]
    settings.WIKI_OAUTH_CLIENT_SECRET = "secret"  # type: ignore[attr-defined]
    settings.WIKI_OAUTH_NAME = "Wikimedia"  # type: ignore[attr-defined]
    after, _ = _get("/accounts/login/")
    assert "Sign in with Wikimedia" in after


def _cookie_attributes(response: object, name: str) -> dict[str, object]:
    morsel = response.cookies[name]  # type: ignore[attr-defined]
    return {key: value for key, value in morsel.items() if key != "expires"}


@pytest.mark.parametrize("url", PAGES)
def test_a_kept_page_has_the_headers_and_cookie_of_a_rendered_one(run: Run, url: str) -> None:
    rendered = Client().get(url)
    with CaptureQueriesContext(connection) as queries:
        kept = Client().get(url)

    assert len(queries.captured_queries) == 0
    assert dict(kept.headers) == dict(rendered.headers)
    for header in ("Content-Security-Policy", "X-Frame-Options", "Vary", "Content-Language"):
        assert kept.headers[header] == rendered.headers[header]
    assert int(kept.headers["Content-Length"]) == len(kept.content)
    assert _cookie_attributes(kept, "csrftoken") == _cookie_attributes(rendered, "csrftoken")
    assert kept.cookies["csrftoken"].value != rendered.cookies["csrftoken"].value


def test_a_visitor_keeps_their_csrf_cookie_and_a_bad_one_is_replaced(run: Run) -> None:
    _get("/accounts/login/")  # kept
    secret = "a" * 16 + "Z9" * 8
    visitor = Client()
    visitor.cookies["csrftoken"] = secret
    html, queries = _get("/accounts/login/", visitor)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)

    assert queries == 0
    assert token is not None
    assert _unmask_cipher_token(token.group(1)) == secret
    assert visitor.cookies["csrftoken"].value == secret

    # Not a secret Django made: the whole stack answers, and Django sets a new one.
    _get("/courses/")  # kept
    odd = Client()
    odd.cookies["csrftoken"] = "not-a-secret"
    _, queries = _get("/courses/", odd)
    assert queries > 0
    assert odd.cookies["csrftoken"].value != "not-a-secret"


@given(secret=st.text(alphabet=CSRF_ALLOWED_CHARS, min_size=32, max_size=32))
def test_a_masked_token_unmasks_to_its_secret(secret: str) -> None:
    token = page_cache._masked(secret)

    assert len(token) == 64
    assert set(token) <= set(CSRF_ALLOWED_CHARS)
    assert _unmask_cipher_token(token) == secret


def test_random_characters_use_the_whole_alphabet_evenly() -> None:
    drawn = "".join(page_cache._random_chars(32) for _ in range(2000))
    counts = Counter(drawn)

    assert len(drawn) == 64_000
    assert set(counts) == set(CSRF_ALLOWED_CHARS)
    # 64,000 draws over 62 characters: about 1,032 each. Taking each byte modulo 62 would
    # favour the first 8 characters (5 bytes in 256 for each, not 4): about 25 % more.
    first = sum(counts[char] for char in CSRF_ALLOWED_CHARS[:8]) / 8
    rest = sum(counts[char] for char in CSRF_ALLOWED_CHARS[8:]) / 54
    assert 0.9 < first / rest < 1.1
