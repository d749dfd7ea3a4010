"""iCalendar feeds parse back (icalendar) to the right UTC instants across March 2021; a
person's feed is in their content language, the public ones as the course is written."""

from datetime import UTC, date, datetime, time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from cohortkit.courses.models import Role
from cohortkit.scheduling.models import CalendarToken, Occurrence
from cohortkit.scheduling.services import (
    cancel_occurrence,
    issue_calendar_token,
    move_occurrence,
    revoke_calendar_token,
)
from tests.factories import RunFactory, RunRoleFactory, UserFactory
from tests.factories.scheduling import weekly_series
from tests.factories.translations import publish_translations


def _events(body: bytes) -> list[dict[str, object]]:
    calendar = Calendar.from_ical(body)
    return [
        {
            "uid": str(event["uid"]),
            "start": event.decoded("dtstart").astimezone(UTC),
            "end": event.decoded("dtend").astimezone(UTC),
            "tzid": event["dtstart"].params.get("TZID"),
            "sequence": int(event["sequence"]),
            "status": str(event["status"]),
        }
        for event in calendar.walk("VEVENT")
    ]


@pytest.fixture
def setup(db: None) -> dict[str, object]:
    # 2021-02-22 for 6 weeks: the US changes on 2021-03-14, Europe on 2021-03-28.
    run = RunFactory(starts_on=date(2021, 2, 22), weeks=6)
    person = UserFactory(timezone="America/New_York")
    RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    new_york = weekly_series(
        run, weekday=0, start=time(12, 0), anchor="America/New_York", members=[person]
    )
    berlin = weekly_series(
        run, weekday=2, start=time(18, 0), anchor="Europe/Berlin", members=[person]
    )
    token = issue_calendar_token(run, person, at=datetime(2021, 2, 1, tzinfo=UTC))
    url = reverse(
        "scheduling:personal_feed",
        kwargs={"slug": run.course.slug, "run": run.slug, "token": token.token},
    )
    return {"run": run, "person": person, "new_york": new_york, "berlin": berlin, "url": url}


def test_personal_feed_gives_the_utc_instants_across_the_us_and_european_changes(
    setup: dict,
) -> None:
    body = Client().get(setup["url"]).content

    events = _events(body)
    starts = sorted((e["tzid"], e["start"]) for e in events)

    assert Calendar.from_ical(body).walk("VTIMEZONE")  # zones written out for the TZIDs
    mondays = [s for tzid, s in starts if tzid == "America/New_York"]
    wednesdays = [s for tzid, s in starts if tzid == "Europe/Berlin"]
    # Monday 12:00 in New York: EST (UTC-5) before 2021-03-14, EDT (UTC-4) after.
    assert mondays == [
        datetime(2021, 2, 22, 17, tzinfo=UTC),
        datetime(2021, 3, 1, 17, tzinfo=UTC),
        datetime(2021, 3, 8, 17, tzinfo=UTC),
        datetime(2021, 3, 15, 16, tzinfo=UTC),
        datetime(2021, 3, 22, 16, tzinfo=UTC),
        datetime(2021, 3, 29, 16, tzinfo=UTC),
    ]
    # Wednesday 18:00 in Berlin: CET (UTC+1) until 2021-03-28, CEST (UTC+2) on 2021-03-31.
    assert wednesdays == [
        datetime(2021, 2, 24, 17, tzinfo=UTC),
        datetime(2021, 3, 3, 17, tzinfo=UTC),
        datetime(2021, 3, 10, 17, tzinfo=UTC),
        datetime(2021, 3, 17, 17, tzinfo=UTC),
        datetime(2021, 3, 24, 17, tzinfo=UTC),
        datetime(2021, 3, 31, 16, tzinfo=UTC),
    ]


def test_moving_raises_sequence_and_cancelling_marks_the_event_cancelled(setup: dict) -> None:
    occurrences = list(setup["new_york"].occurrences.order_by("starts_at"))
    move_occurrence(occurrences[1], starts_at=datetime(2021, 3, 2, 18, tzinfo=UTC))
    cancel_occurrence(occurrences[2], note="Holiday")

    events = {e["uid"]: e for e in _events(Client().get(setup["url"]).content)}

    moved = next(e for e in events.values() if e["start"] == datetime(2021, 3, 2, 18, tzinfo=UTC))
    cancelled = next(e for e in events.values() if e["status"] == "CANCELLED")
    assert (moved["sequence"], moved["status"], moved["end"]) == (
        1,
        "CONFIRMED",
        datetime(2021, 3, 2, 20, tzinfo=UTC),
    )
    assert (cancelled["sequence"], cancelled["start"]) == (1, datetime(2021, 3, 8, 17, tzinfo=UTC))
    assert len(events) == 12  # UIDs stay stable: one per occurrence


def test_public_feed_lists_sessions_without_call_links(setup: dict) -> None:
    setup["new_york"].video_url = "https://meet.example.org/secret-room"
    setup["new_york"].save()
    run = setup["run"]
    url = reverse("scheduling:run_feed", kwargs={"slug": run.course.slug, "run": run.slug})

    body = Client().get(url).content

    assert len(_events(body)) == 12
    assert b"secret-room" not in body
    assert b"secret-room" in Client().get(setup["url"]).content


def test_single_session_download_is_one_event_in_utc_for_a_utc_series(db: None) -> None:
    run = RunFactory()
    person = UserFactory(timezone="Asia/Kolkata")
    RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    occurrence = weekly_series(run, start=time(14, 0), members=[person]).occurrences.first()
    client = Client()
    client.force_login(person)
    url = reverse(
        "scheduling:occurrence_ics",
        kwargs={"slug": run.course.slug, "run": run.slug, "pk": occurrence.pk},  # type: ignore[union-attr]
    )

    response = client.get(url)

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert [(e["start"], e["tzid"]) for e in _events(response.content)] == [
        (datetime(2021, 2, 1, 14, tzinfo=UTC), None)
    ]
    assert b"DTSTART:20210201T140000Z" in response.content


def test_a_new_link_revokes_the_old_and_revoking_stops_the_feed(setup: dict) -> None:
    run, person = setup["run"], setup["person"]
    at = datetime(2021, 2, 2, tzinfo=UTC)
    old_url = setup["url"]

    fresh = issue_calendar_token(run, person, at=at)
    fresh_url = reverse(
        "scheduling:personal_feed",
        kwargs={"slug": run.course.slug, "run": run.slug, "token": fresh.token},
    )

    assert (Client().get(old_url).status_code, Client().get(fresh_url).status_code) == (404, 200)
    assert revoke_calendar_token(run, person, at=at) == 1
    assert Client().get(fresh_url).status_code == 404
    assert CalendarToken.objects.filter(run=run, user=person, revoked_at__isnull=True).count() == 0


def _feed_url(run: object, person: object) -> str:
    token = issue_calendar_token(run, person, at=datetime(2021, 2, 1, tzinfo=UTC))  # type: ignore[arg-type]
    return reverse(
        "scheduling:personal_feed",
        kwargs={"slug": run.course.slug, "run": run.slug, "token": token.token},  # type: ignore[attr-defined]
    )


def _texts(body: bytes) -> dict[str, object]:
    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    return {
        "name": str(calendar["x-wr-calname"]),
        "summaries": {str(event["summary"]) for event in events},
        "agenda": {"Ronda de presentación" in str(event["description"]) for event in events},
        "uids": sorted(str(event["uid"]) for event in events),
        "sequences": {int(event["sequence"]) for event in events},
    }


@pytest.fixture
def spanish(db: None) -> dict[str, object]:
    """A run published in Spanish (course, run, series title and agenda), an English and a
    Spanish reader in its weekly group."""
    run = RunFactory(weeks=2, title="February run", course__title="Partnerships course")
    ines = UserFactory(content_language="es")
    ada = UserFactory(content_language="en")
    for person in (ines, ada):
        RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    series = weekly_series(run, members=[ines, ada], title="Group one")
    series.agenda = "Check-in round"
    series.save()
    key = f"scheduling.{run.slug}.session.{series.pk}"
    publish_translations(
        run.course,
        {
            "course.title": "Curso de alianzas",
            f"run.{run.slug}.title": "Edición de febrero",
            f"{key}.title": "Grupo uno",
            f"{key}.agenda": "Ronda de presentación",
        },
    )
    return {"run": run, "ines": ines, "ada": ada}


def test_a_personal_feed_is_in_its_persons_content_language(spanish: dict) -> None:
    run = spanish["run"]

    ines = _texts(Client().get(_feed_url(run, spanish["ines"])).content)
    ada = _texts(Client().get(_feed_url(run, spanish["ada"])).content)

    assert (ines["name"], ines["summaries"], ines["agenda"]) == (
        "Curso de alianzas (Edición de febrero)",
        {"Grupo uno — Curso de alianzas"},
        {True},
    )
    assert (ada["name"], ada["summaries"], ada["agenda"]) == (
        "Partnerships course (February run)",
        {"Group one — Partnerships course"},
        {False},
    )
    # The same meetings, said otherwise: UIDs and revisions do not depend on the language.
    assert (ines["uids"], ines["sequences"]) == (ada["uids"], ada["sequences"])
    assert (len(ines["uids"]), ines["sequences"]) == (2, {0})


def test_a_personal_feed_falls_back_to_the_source_where_a_title_is_not_translated(
    spanish: dict,
) -> None:
    run = spanish["run"]
    weekly_series(run, weekday=3, title="Office hours", kind="office-hours")

    ines = _texts(Client().get(_feed_url(run, spanish["ines"])).content)

    assert ines["summaries"] == {
        "Grupo uno — Curso de alianzas",
        "Office hours — Curso de alianzas",
    }


def test_the_public_run_feed_stays_in_the_courses_language(spanish: dict) -> None:
    run = spanish["run"]
    url = reverse("scheduling:run_feed", kwargs={"slug": run.course.slug, "run": run.slug})

    public = _texts(Client(headers={"accept-language": "es"}).get(url).content)

    assert (public["name"], public["summaries"]) == (
        "Partnerships course (February run)",
        {"Group one — Partnerships course"},
    )


@pytest.mark.parametrize("series", [1, 4])
def test_a_spanish_personal_feed_makes_the_same_queries_for_one_or_many_series(
    spanish: dict, series: int
) -> None:
    run = spanish["run"]
    for number in range(2, series + 1):
        weekly_series(run, weekday=number, title=f"Group {number}", members=[spanish["ines"]])
    url = _feed_url(run, spanish["ines"])

    with CaptureQueriesContext(connection) as queries:
        body = Client().get(url).content

    assert len(_texts(body)["uids"]) == 2 * series
    # The run, the token, the person's role, the meetings; the course's published versions
    # and the translations the feed shows.
    assert len(queries) == 6


def test_a_single_session_download_is_in_the_readers_content_language(spanish: dict) -> None:
    run = spanish["run"]
    occurrence = Occurrence.objects.filter(session__run=run).order_by("starts_at").first()
    assert occurrence is not None
    url = reverse(
        "scheduling:occurrence_ics",
        kwargs={"slug": run.course.slug, "run": run.slug, "pk": occurrence.pk},
    )
    downloads = {}
    for name in ("ines", "ada"):
        client = Client()
        client.force_login(spanish[name])
        downloads[name] = _texts(client.get(url).content)

    assert downloads["ines"]["summaries"] == {"Grupo uno — Curso de alianzas"}
    assert downloads["ada"]["summaries"] == {"Group one — Partnerships course"}
    assert downloads["ines"]["uids"] == downloads["ada"]["uids"]
