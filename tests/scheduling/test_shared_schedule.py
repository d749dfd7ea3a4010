"""What every schedule of a run shares is read once for all of them and never shown stale.

The run's meetings, weekly groups and availabilities (`queries.run_meetings`), who studies
at their own pace (`learning.study_modes`), the run named in the URL
(`courses.permissions.run_named`) and the course's published languages
(`translations.queries.published_versions`) are kept under the versions of the tables they
are read from (`accounts.page_cache.shared`). Each test here loads a schedule so that all
of it is kept, changes one kept thing (through a model, a queryset update or raw SQL), and
reads the page back.
"""

import socket
import uuid
from datetime import UTC, datetime

import pytest
import redis
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohortkit.accounts import page_cache
from cohortkit.accounts.models import User
from cohortkit.courses.models import Role, Run
from cohortkit.learning.models import ParticipantState, ParticipantStatus
from cohortkit.scheduling.models import (
    Attendance,
    Occurrence,
    Session,
    SessionKind,
    WeeklyAvailability,
)
from tests.conftest import Cast
from tests.factories import RunRoleFactory, UserFactory
from tests.factories.scheduling import weekly_series
from tests.factories.translations import publish_translations

pytestmark = pytest.mark.django_db


def _url(run: Run) -> str:
    return reverse("scheduling:schedule", kwargs={"slug": run.course.slug, "run": run.slug})


def _page(client: Client, run: Run) -> str:
    response = client.get(_url(run))
    assert response.status_code == 200
    return response.content.decode()


def _second_participant(cast: Cast) -> tuple[User, Client]:
    person = UserFactory(timezone="Asia/Kolkata")
    RunRoleFactory(run=cast.run, user=person, role=Role.PARTICIPANT)
    client = Client()
    client.force_login(person)
    return person, client


@pytest.fixture
def grouped(cast: Cast) -> Session:
    """A weekly group with the cast's participant in it, and office hours for everyone."""
    weekly_series(cast.run, members=[cast.participant], title="Group one")
    weekly_series(cast.run, kind=SessionKind.OFFICE_HOURS, title="Open office", weekday=3)
    return Session.objects.get(run=cast.run, title="Group one")


def test_a_second_participant_reads_only_their_own_rows(cast: Cast, grouped: Session) -> None:
    other, client = _second_participant(cast)
    grouped.members.add(other)
    _page(cast.client_for("participant"), cast.run)  # keeps what the run's pages share

    with CaptureQueriesContext(connection) as queries:
        page = _page(client, cast.run)

    # Their session, the person, their roles in the run, their attendance: nothing the run's
    # other schedules read already.
    assert len(queries) == 4, [query["sql"] for query in queries.captured_queries]
    assert (page.count("Group one"), page.count("Open office")) == (8, 8)
    assert "<strong>Asia/Kolkata</strong>" in page  # their own zone, not the first reader's


def test_kept_meetings_follow_a_cancelled_meeting(cast: Cast, grouped: Session) -> None:
    client = cast.client_for("participant")
    assert "Cancelled" not in _page(client, cast.run)

    occurrence = grouped.occurrences.get(week=2)
    occurrence.is_cancelled = True
    occurrence.save()

    assert _page(client, cast.run).count("<strong>Cancelled</strong>") == 1


def test_kept_meetings_follow_a_queryset_update_and_raw_sql(cast: Cast, grouped: Session) -> None:
    client = cast.client_for("participant")
    _page(client, cast.run)

    Occurrence.objects.filter(session=grouped, week=1).update(note="Bring your map")
    assert "Bring your map" in _page(client, cast.run)

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE scheduling_occurrence SET note = %s WHERE session_id = %s AND week = 1",
            ["Bring a partner", grouped.pk],
        )
    page = _page(client, cast.run)
    assert "Bring a partner" in page
    assert "Bring your map" not in page


def test_kept_groups_follow_a_move_to_another_group(cast: Cast, grouped: Session) -> None:
    _, client = _second_participant(cast)
    other_group = weekly_series(cast.run, members=[], title="Group two", weekday=2)
    _page(client, cast.run)  # keeps the groups: the second person is in neither
    page = _page(cast.client_for("participant"), cast.run)
    assert (page.count("Group one"), page.count("Group two")) == (8, 0)

    grouped.members.remove(cast.participant)
    other_group.members.add(cast.participant)

    page = _page(cast.client_for("participant"), cast.run)
    assert (page.count("Group one"), page.count("Group two")) == (0, 8)


def test_kept_groups_follow_a_person_left_out(cast: Cast, grouped: Session) -> None:
    client = cast.client_for("participant")
    assert "not in a weekly group yet" not in _page(client, cast.run)

    grouped.members.clear()

    page = _page(client, cast.run)
    assert "not in a weekly group yet" in page
    assert "Group one" not in page


def test_kept_availabilities_follow_one_given(cast: Cast, grouped: Session) -> None:
    client = cast.client_for("participant")
    assert "Give your availability" in _page(client, cast.run)

    WeeklyAvailability.objects.create(run=cast.run, user=cast.participant, timezone="UTC")

    page = _page(client, cast.run)
    assert "Change your availability" in page
    assert "Give your availability" not in page


def test_kept_study_modes_follow_a_switch_to_own_pace(cast: Cast, grouped: Session) -> None:
    client = cast.client_for("participant")
    assert "at your own pace" not in _page(client, cast.run)

    ParticipantStatus.objects.create(
        run=cast.run,
        user=cast.participant,
        state=ParticipantState.SELF_PACED,
        self_paced_at=datetime(2021, 3, 1, tzinfo=UTC),
    )

    assert "You study this course at your own pace" in _page(client, cast.run)


def test_own_attendance_is_read_for_each_page(cast: Cast, grouped: Session) -> None:
    client = cast.client_for("participant")
    assert "Your attendance so far" not in _page(client, cast.run)

    Attendance.objects.create(
        occurrence=grouped.occurrences.get(week=0),
        user=cast.participant,
        status="late",
        recorded_at=datetime(2021, 2, 1, tzinfo=UTC),
    )

    page = _page(client, cast.run)
    assert "present 0, late 1, excused 0, absent 0" in page
    assert "<td>Late</td>" in page


def test_the_kept_run_follows_a_new_title(cast: Cast, grouped: Session) -> None:
    client = cast.client_for("participant")
    _page(client, cast.run)

    Run.objects.filter(pk=cast.run.pk).update(title="The spring cohort")

    assert "The spring cohort" in _page(client, cast.run)


def test_the_kept_run_follows_a_course_unpublished(cast: Cast, grouped: Session) -> None:
    client = cast.client_for("participant")
    _page(client, cast.run)

    cast.run.course.is_published = False
    cast.run.course.save()

    assert client.get(_url(cast.run)).status_code == 404


def test_kept_languages_follow_a_translation_published(cast: Cast, grouped: Session) -> None:
    cast.participant.content_language = "es"
    cast.participant.save(update_fields=["content_language"])
    client = cast.client_for("participant")
    cast.run.course.title = "Partnerships course"
    cast.run.course.save()
    assert "Partnerships course" in _page(client, cast.run)

    publish_translations(cast.run.course, {"course.title": "Curso de alianzas"})

    page = _page(client, cast.run)
    assert "Curso de alianzas" in page
    assert "Partnerships course" not in page


@pytest.mark.django_db(transaction=True)
def test_a_write_in_a_transaction_changes_the_version_again_at_commit(cast: Cast) -> None:
    """A page rendered from the old rows while the transaction is open must not be kept
    under the version the commit leaves."""
    versions = []
    with transaction.atomic():
        weekly_series(cast.run, members=[cast.participant])
        versions.append(page_cache.tables_version(["scheduling_occurrence"]))
    versions.append(page_cache.tables_version(["scheduling_occurrence"]))
    assert versions[0] != versions[1]


def test_a_table_without_a_version_is_refused() -> None:
    with pytest.raises(ValueError, match="accounts_user"):
        page_cache.tables_version(["accounts_user"])


def _redis_up() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", 6379)) == 0


@pytest.mark.skipif(not _redis_up(), reason="needs Redis on 127.0.0.1:6379 (started by .ci/run)")
def test_with_redis_the_meetings_are_kept_once_and_follow_a_change(
    cast: Cast, grouped: Session, settings: object
) -> None:
    """As in production: the versions and the kept data in Redis, through one client."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "cohortkit.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": prefix,  # its own keys: no clear() of others'
        }
    }
    from django.core.cache import cache  # noqa: PLC0415 - the overridden backend

    try:
        client = cache._cache.get_client()  # type: ignore[attr-defined]
        assert cache._cache.get_client(write=True) is client  # type: ignore[attr-defined]
        other, other_client = _second_participant(cast)
        grouped.members.add(other)
        _page(cast.client_for("participant"), cast.run)
        with CaptureQueriesContext(connection) as queries:
            _page(other_client, cast.run)
        assert len(queries) == 4

        Occurrence.objects.filter(session=grouped, week=3).update(is_cancelled=True)

        assert _page(other_client, cast.run).count("<strong>Cancelled</strong>") == 1
    finally:
        shared = redis.Redis.from_url("redis://127.0.0.1:6379/15")
        for key in shared.scan_iter(f"{prefix}:*"):
            shared.delete(key)
