"""A signed-in person's pages kept for them (accounts/page_cache.py), with their session and
the person read once (accounts/sessions.py, backends.py): served again without the database,
never stale after any write to it (however it is made), never to anyone else, and never when
a message waits or htmx asks for a fragment; a session ended or a person changed anywhere
is seen at the next request."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohortkit.accounts import page_cache
from cohortkit.accounts.models import User
from cohortkit.courses.models import Module, Role, RunRole
from cohortkit.courses.services import remove_role
from tests.conftest import Cast
from tests.factories import ModuleFactory, RunRoleFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db
IN_RUN = datetime(2021, 2, 20, 12, tzinfo=UTC)  # Saturday of week 3 of the factory run
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')


def _url(cast: Cast, name: str, **more: object) -> str:
    if name == "courses:home":
        return "/"
    return reverse(name, kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, **more})


def _get(client: Client, url: str, **headers: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)  # type: ignore[arg-type]
    assert response.status_code == 200, url
    return response.content.decode(), len(queries.captured_queries)


@pytest.fixture
def module(cast: Cast) -> Module:
    module = ModuleFactory(run=cast.run, position=1, title="Preparing to partner")
    TopicFactory(module=module, position=1, title="Know yourself")
    return module


PARTICIPANT_PAGES = [
    ("courses:home", {}),
    ("courses:run", {}),
    ("learning:modules", {}),
    ("learning:module", {"position": 1}),
    ("scheduling:schedule", {}),
    ("learning:talk", {}),
]
STAFF_PAGES = [
    ("facilitator", "learning:grid"),
    ("coordinator", "applications:list"),
    ("coordinator", "applications:selection"),
]


@pytest.mark.parametrize(("name", "more"), PARTICIPANT_PAGES)
@time_machine.travel(IN_RUN, tick=False)
def test_a_participants_page_is_served_again_without_the_database(
    cast: Cast, module: Module, name: str, more: dict[str, object]
) -> None:
    client = cast.client_for("participant")
    url = _url(cast, name, **more)
    first, rendered = _get(client, url)
    again, queries = _get(client, url)

    assert queries == 0 < rendered
    assert TOKEN.sub("", again) == TOKEN.sub("", first)


@pytest.mark.parametrize(("role", "name"), STAFF_PAGES)
@time_machine.travel(IN_RUN, tick=False)
def test_a_staff_page_is_served_again_without_the_database(
    cast: Cast, module: Module, role: str, name: str
) -> None:
    client = cast.client_for(role)
    url = _url(cast, name)
    _get(client, url)
    assert _get(client, url)[1] == 0


@time_machine.travel(IN_RUN, tick=False)
def test_the_kept_copy_is_for_its_person_only(cast: Cast, module: Module) -> None:
    url = _url(cast, "learning:modules")
    _get(cast.client_for("participant"), url)
    other = UserFactory(display_name="Zed Other")
    RunRoleFactory(run=cast.run, user=other, role=Role.PARTICIPANT)
    client = Client()
    client.force_login(other)

    html, queries = _get(client, url)

    assert queries > 0
    assert "Zed Other" in html


@time_machine.travel(IN_RUN, tick=False)
def test_a_saved_edit_shows_at_once(cast: Cast, module: Module) -> None:
    client = cast.client_for("participant")
    url = _url(cast, "learning:module", position=1)
    assert "Preparing to partner" in _get(client, url)[0]

    module.title = "Getting ready"
    module.save()

    assert "Getting ready" in _get(client, url)[0]


@time_machine.travel(IN_RUN, tick=False)
def test_a_queryset_update_and_a_bulk_insert_show_at_once(cast: Cast, module: Module) -> None:
    """Writes that send no signals are seen too: the statement itself is read."""
    client = cast.client_for("participant")
    url = _url(cast, "learning:modules")
    _get(client, url)

    Module.objects.filter(pk=module.pk).update(title="Updated without a signal")
    assert "Updated without a signal" in _get(client, url)[0]

    Module.objects.bulk_create([Module(run=cast.run, position=2, title="Bulk module")])
    assert "Bulk module" in _get(client, url)[0]


@time_machine.travel(IN_RUN, tick=False)
def test_raw_sql_from_anywhere_shows_at_once(cast: Cast, module: Module) -> None:
    client = cast.client_for("participant")
    url = _url(cast, "learning:modules")
    _get(client, url)

    with connection.cursor() as cursor:
        cursor.execute(
            'UPDATE "courses_module" SET "title" = %s WHERE "id" = %s',
            ["Written in SQL", module.pk],
        )

    assert "Written in SQL" in _get(client, url)[0]


@time_machine.travel(IN_RUN, tick=False)
def test_a_removed_role_ends_access_at_once(cast: Cast, module: Module) -> None:
    client = cast.client_for("participant")
    url = _url(cast, "learning:module", position=1)
    _get(client, url)
    _get(client, url)

    remove_role(RunRole.objects.get(run=cast.run, user=cast.participant), by=cast.coordinator)

    assert client.get(url).status_code == 403


@time_machine.travel(IN_RUN, tick=False)
def test_signing_in_again_renders_afresh(cast: Cast, module: Module) -> None:
    client = cast.client_for("participant")
    url = _url(cast, "learning:modules")
    _get(client, url)
    client.logout()
    client.force_login(cast.participant)

    assert _get(client, url)[1] > 2


@time_machine.travel(IN_RUN, tick=False)
def test_a_waiting_message_is_shown_not_a_kept_copy(cast: Cast, module: Module) -> None:
    client = cast.client_for("participant")
    url = _url(cast, "learning:modules")
    _get(client, url)
    request = RequestFactory().get(url)
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "Your answer was saved.")
    response = client.get("/")  # any response to carry the cookie the storage writes
    storage.update(response)
    client.cookies.update(response.cookies)

    html, queries = _get(client, url)

    assert "Your answer was saved." in html
    assert queries > 2
    # Shown once: the next visit is an ordinary page again.
    assert "Your answer was saved." not in _get(client, url)[0]


@time_machine.travel(IN_RUN, tick=False)
def test_htmx_fragments_are_never_kept(cast: Cast, module: Module) -> None:
    client = cast.client_for("participant")
    url = _url(cast, "learning:talk")
    _get(client, url, HTTP_HX_REQUEST="true")

    assert _get(client, url, HTTP_HX_REQUEST="true")[1] > 2


def test_a_page_turns_with_the_runs_phase_and_with_time(cast: Cast, module: Module) -> None:
    client = cast.client_for("participant")
    url = _url(cast, "courses:run")
    start = cast.run.starts_at
    with time_machine.travel(start - timedelta(seconds=30), tick=False):
        _get(client, url)
        assert _get(client, url)[1] == 0
    with time_machine.travel(start + timedelta(seconds=1), tick=False):
        assert _get(client, url)[1] > 2  # the run began: rendered afresh
    with time_machine.travel(start + timedelta(seconds=2 + page_cache.PERSONAL_SECONDS)):
        assert _get(client, url)[1] > 2  # a minute later in any case
    with time_machine.travel(start - timedelta(days=1), tick=False):
        assert _get(client, url)[1] > 2  # a clock set back gets no copy from the future


@time_machine.travel(IN_RUN, tick=False)
def test_each_request_gets_a_token_that_passes_the_csrf_check(cast: Cast, module: Module) -> None:
    client = cast.client_for("participant")
    url = _url(cast, "learning:talk")
    _get(client, url)
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(cast.participant)
    checked.get(url)
    html, queries = _get(checked, url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)

    assert queries == 0
    assert token is not None
    response = checked.post(
        url, {"csrfmiddlewaretoken": token.group(1), "title": "A question", "body": "Why?"}
    )
    assert response.status_code == 302
    assert "A question" in checked.get(url).content.decode()


@pytest.mark.parametrize(
    ("sql", "kinds"),
    [
        ('SELECT "x" FROM "courses_module"', ()),
        ('INSERT INTO "courses_module" ("title") VALUES (%s)', ("public", "everything")),
        (
            'INSERT OR IGNORE INTO "learning_topiccompletion" ("user_id") VALUES (%s)',
            ("everything",),
        ),
        ('UPDATE "learning_submission" SET "text" = %s WHERE "id" = %s', ("everything",)),
        ('UPDATE "accounts_user" SET "last_login" = %s WHERE "id" = %s', ("everything",)),
        (
            'UPDATE "accounts_user" SET "display_name" = %s WHERE "id" = %s',
            ("public", "everything"),
        ),
        (
            'DELETE FROM "courses_run" WHERE "id" IN (%s)',
            ("public", "everything", "table-courses_run"),
        ),
        (
            'INSERT INTO "scheduling_session_members" ("session_id", "user_id") VALUES (%s, %s)',
            ("everything", "table-scheduling_session_members"),
        ),
        ('DELETE FROM "django_session" WHERE "session_key" = %s', ("sessions",)),
        ('UPDATE "django_tasks_database_dbtaskresult" SET "status" = %s', ()),
        ('TRUNCATE "courses_run", "courses_course"', ("public", "everything", "sessions", "*")),
        ("  update courses_run set title = 'x'", ("public", "everything", "sessions", "*")),
    ],
)
def test_the_table_a_statement_writes_decides_what_is_forgotten(
    sql: str, kinds: tuple[str, ...]
) -> None:
    """What each kind of statement changes; "*": the version of every table that has one
    (a write whose table cannot be told may have written any of them)."""
    if kinds[-1:] == ("*",):
        every_table = sorted(f"table-{table}" for table in page_cache._VERSIONED_TABLES)
        assert "table-scheduling_occurrence" in every_table
        kinds = (*kinds[:-1], *every_table)
    assert page_cache._kinds_written(sql) == kinds


@time_machine.travel(IN_RUN, tick=False)
def test_a_session_ended_elsewhere_signs_out_at_once(cast: Cast, module: Module) -> None:
    """Another web process (or the admin) deletes the session row: the kept copy of the
    session is not used again."""
    client = cast.client_for("participant")
    url = _url(cast, "learning:modules")
    _get(client, url)
    _get(client, url)

    Session.objects.filter(session_key=client.session.session_key).delete()

    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@time_machine.travel(IN_RUN, tick=False)
def test_a_deactivated_person_or_a_new_password_signs_out_at_once(
    cast: Cast, module: Module
) -> None:
    participant, facilitator = cast.client_for("participant"), cast.client_for("facilitator")
    url = _url(cast, "learning:modules")
    for client in (participant, facilitator):
        _get(client, url)
        _get(client, url)

    User.objects.filter(pk=cast.participant.pk).update(is_active=False)
    cast.facilitator.set_password("a new password for sure")
    cast.facilitator.save()

    for client in (participant, facilitator):
        assert client.get(url).status_code == 302


@time_machine.travel(IN_RUN, tick=False)
def test_an_edited_profile_shows_at_once(cast: Cast, module: Module) -> None:
    client = cast.client_for("participant")
    url = _url(cast, "learning:modules")
    _get(client, url)

    User.objects.filter(pk=cast.participant.pk).update(display_name="Renamed Person")

    assert "Renamed Person" in _get(client, url)[0]


@time_machine.travel(IN_RUN, tick=False)
def test_with_keeping_turned_off_every_page_is_rendered(
    cast: Cast, module: Module, settings: object
) -> None:
    settings.KEEP_PAGES = False  # type: ignore[attr-defined]
    client = cast.client_for("participant")
    url = _url(cast, "learning:modules")
    _get(client, url)
    _get(Client(), "/courses/")

    assert _get(client, url)[1] > 0
    assert _get(Client(), "/courses/")[1] > 0


@time_machine.travel(IN_RUN, tick=False)
def test_a_session_signed_in_before_the_upgrade_stays_signed_in(cast: Cast, module: Module) -> None:
    """Sessions stored before the signed-in person was kept (accounts/backends.py) name
    Django's own ModelBackend, as Django's database sessions wrote them: their people stay
    signed in after the upgrade, in whichever web process reads them."""
    earlier = DjangoSessionStore()
    earlier[SESSION_KEY] = str(cast.participant.pk)
    earlier[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    earlier[HASH_SESSION_KEY] = cast.participant.get_session_auth_hash()
    earlier.create()
    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = str(earlier.session_key)
    url = _url(cast, "learning:modules")

    first, _ = _get(client, url)
    again, queries = _get(client, url)

    assert cast.participant.display_name in first
    assert TOKEN.sub("", again) == TOKEN.sub("", first)
    assert queries == 0
