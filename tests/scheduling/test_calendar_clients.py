"""Every feed (a person's, the run's, one meeting) read by calendar programs nobody here
wrote: vobject (the parser of Radicale and many CalDAV tools), icalendar reading our
VTIMEZONE rather than its own zone database, calcurse (Debian's command-line
calendar, `-i` import) and khal (Debian's, `import --batch` into a vdir). Each event's start and end must be the stored instants, across New
York's, Berlin's and Adelaide's changes of 2021 and in Asia/Kolkata."""

import os
import shutil
import subprocess
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
import vobject
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from cohortkit.courses.models import Role, Run
from cohortkit.scheduling.calendars import occurrence_uid, vtimezone, zone_changes
from cohortkit.scheduling.models import Occurrence
from cohortkit.scheduling.services import issue_calendar_token, move_occurrence
from tests.factories import RunFactory, RunRoleFactory, UserFactory
from tests.factories.scheduling import weekly_series

Instants = dict[str, tuple[datetime, datetime]]


def _stored(run: Run) -> Instants:
    return {
        occurrence_uid(occurrence): (occurrence.starts_at, occurrence.ends_at)
        for occurrence in Occurrence.objects.filter(session__run=run)
    }


def read_with_vobject(body: bytes) -> Instants:
    calendar = vobject.readOne(body.decode())
    return {
        str(event.uid.value): (
            event.dtstart.value.astimezone(UTC),
            event.dtend.value.astimezone(UTC),
        )
        for event in calendar.vevent_list
    }


def read_with_icalendar(body: bytes) -> Instants:
    """icalendar resolves a TZID with its own zone database; here the feed's VTIMEZONE is
    turned into the tzinfo instead (`Timezone.to_tz`), so its rules are what is tested."""
    calendar = Calendar.from_ical(body)
    zones = {str(zone["tzid"]): zone.to_tz() for zone in calendar.walk("VTIMEZONE")}

    def instant(event: object, key: str) -> datetime:
        prop = event[key]  # type: ignore[index]
        tzid = prop.params.get("TZID")
        value = prop.dt
        if tzid:
            return value.replace(tzinfo=zones[str(tzid)]).astimezone(UTC)
        return value.astimezone(UTC)

    return {
        str(event["uid"]): (instant(event, "dtstart"), instant(event, "dtend"))
        for event in calendar.walk("VEVENT")
    }


def _client(
    command: list[str], environment: dict[str, str], *, check: bool
) -> subprocess.CompletedProcess[str]:
    """Run a calendar client on our own files, its output as text."""
    return subprocess.run(  # noqa: S603 - a fixed program on our own files
        command, capture_output=True, text=True, env=environment, timeout=60, check=check
    )


def _start_end_pairs(listing: str) -> list[tuple[datetime, datetime]]:
    """The "start end" lines of a client's listing (local times, the client runs in UTC)."""
    times = []
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) == 2 and "T" in parts[0]:
            start, end = (datetime.fromisoformat(part).replace(tzinfo=UTC) for part in parts)
            times.append((start, end))
    return times


CALCURSE = shutil.which("calcurse")


def read_with_calcurse(
    body: bytes, tmp_path: Path, *, around: date
) -> list[tuple[datetime, datetime]]:
    """Import into an empty calcurse data folder and list the appointments, in UTC."""
    assert CALCURSE, "calcurse is installed by scripts/system-deps"
    folder = tmp_path / f"calcurse-{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    feed = folder / "feed.ics"
    feed.write_bytes(body)
    environment = {**os.environ, "TZ": "UTC", "HOME": str(folder)}
    imported = _client(
        [CALCURSE, "-D", str(folder), "-q", "-i", str(feed)], environment, check=False
    )
    assert (imported.returncode, imported.stderr) == (0, "")
    listed = _client(
        [
            CALCURSE,
            "-D",
            str(folder),
            "-Q",
            "--from",
            (around - timedelta(days=60)).strftime("%m/%d/%Y"),
            "--days",
            "240",
            "--format-apt",
            "%(start:%Y-%m-%dT%H:%M) %(end:%Y-%m-%dT%H:%M)\\n",
        ],
        environment,
        check=True,
    )
    return sorted(set(_start_end_pairs(listed.stdout)))


KHAL = shutil.which("khal")
KHAL_CONFIG = """[calendars]
[[feed]]
path = {path}
type = calendar

[locale]
local_timezone = UTC
default_timezone = UTC
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%dT%H:%M
longdatetimeformat = %Y-%m-%dT%H:%M
"""


def read_with_khal(body: bytes, tmp_path: Path, *, around: date) -> list[tuple[datetime, datetime]]:
    """Import into an empty khal calendar (a vdir) with `import --batch` and list the
    events, in UTC: khal runs headless, no terminal needed."""
    assert KHAL, "khal is installed by scripts/system-deps"
    folder = tmp_path / f"khal-{len(list(tmp_path.iterdir()))}"
    (folder / "calendar").mkdir(parents=True)
    config = folder / "config"
    config.write_text(KHAL_CONFIG.format(path=folder / "calendar"))
    feed = folder / "feed.ics"
    feed.write_bytes(body)
    environment = {**os.environ, "TZ": "UTC", "HOME": str(folder), "XDG_DATA_HOME": str(folder)}
    imported = _client(
        [KHAL, "-c", str(config), "import", "--batch", "-a", "feed", str(feed)],
        environment,
        check=False,
    )
    assert (imported.returncode, imported.stderr) == (0, "")
    listed = _client(
        [
            KHAL, "-c", str(config), "list", "--format", "{start} {end}", "--day-format", "",
            (around - timedelta(days=60)).isoformat(), "240d",
        ],
        environment,
        check=True,
    )  # fmt: skip
    return sorted(_start_end_pairs(listed.stdout))


@pytest.fixture
def world(db: None) -> dict[str, object]:
    """Eight weeks from 2021-02-22: New York changes on 03-14, Berlin on 03-28, Adelaide
    goes back an hour on 04-04; Kolkata never changes (and is half an hour off)."""
    run = RunFactory(starts_on=date(2021, 2, 22), weeks=8, timezone="Europe/Berlin")
    person = UserFactory(timezone="Asia/Kolkata")
    RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    for weekday, start, anchor in [
        (0, time(10, 0), "America/New_York"),
        (2, time(18, 0), "Europe/Berlin"),
        (1, time(9, 30), "Asia/Kolkata"),
        (3, time(19, 0), "Australia/Adelaide"),
    ]:
        weekly_series(run, weekday=weekday, start=start, anchor=anchor, members=[person])
    token = issue_calendar_token(run, person, at=datetime(2021, 2, 1, tzinfo=UTC))
    return {"run": run, "person": person, "token": token}


def _feeds(world: dict[str, object]) -> dict[str, bytes]:
    run: Run = world["run"]  # type: ignore[assignment]
    kwargs = {"slug": run.course.slug, "run": run.slug}
    client = Client()
    client.force_login(world["person"])  # type: ignore[arg-type]
    feeds = {
        "personal": Client()
        .get(reverse("scheduling:personal_feed", kwargs={**kwargs, "token": world["token"].token}))  # type: ignore[attr-defined]
        .content,
        "run": Client().get(reverse("scheduling:run_feed", kwargs=kwargs)).content,
    }
    for occurrence in Occurrence.objects.filter(session__run=run):
        url = reverse("scheduling:occurrence_ics", kwargs={**kwargs, "pk": occurrence.pk})
        feeds[f"meeting {occurrence.pk}"] = client.get(url).content
    return feeds


def test_new_york_monday_10_00_is_14_00_utc_after_the_us_change_in_every_parser(
    world: dict[str, object],
) -> None:
    body = _feeds(world)["personal"]
    expected = _stored(world["run"])  # type: ignore[arg-type]
    new_york = sorted(
        start for start, _ in expected.values() if start.weekday() == 0 and start.hour in (14, 15)
    )

    assert new_york[3] == datetime(2021, 3, 15, 14, tzinfo=UTC)  # the issue's example: EDT
    assert read_with_vobject(body) == expected
    assert read_with_icalendar(body) == expected


def test_every_feed_gives_the_stored_instants_in_vobject_and_icalendar(
    world: dict[str, object],
) -> None:
    expected = _stored(world["run"])  # type: ignore[arg-type]

    for name, body in _feeds(world).items():
        wanted = expected if not name.startswith("meeting") else _one(expected, body)
        assert (name, read_with_vobject(body)) == (name, wanted)
        assert (name, read_with_icalendar(body)) == (name, wanted)
    assert len(expected) == 32


def _one(expected: Instants, body: bytes) -> Instants:
    uid = str(Calendar.from_ical(body).walk("VEVENT")[0]["uid"])
    return {uid: expected[uid]}


def test_calcurse_imports_every_meeting_at_its_stored_instant(
    world: dict[str, object], tmp_path: Path
) -> None:
    expected = sorted(_stored(world["run"]).values())  # type: ignore[arg-type]

    for name in ("personal", "run"):
        listed = read_with_calcurse(_feeds(world)[name], tmp_path, around=date(2021, 3, 1))
        assert (name, listed) == (name, expected)


def test_khal_imports_every_meeting_at_its_stored_instant(
    world: dict[str, object], tmp_path: Path
) -> None:
    expected = sorted(_stored(world["run"]).values())  # type: ignore[arg-type]

    for name in ("personal", "run"):
        listed = read_with_khal(_feeds(world)[name], tmp_path, around=date(2021, 3, 1))
        assert (name, listed) == (name, expected)


def test_onsets_are_the_local_times_of_the_changes_one_rdate_a_line() -> None:
    first, last = datetime(2021, 1, 5, tzinfo=UTC), datetime(2022, 12, 1, tzinfo=UTC)

    text = {
        name: vtimezone(name, first=first, last=last).to_ical().decode()
        for name in ("America/New_York", "Europe/Berlin", "Australia/Adelaide", "Asia/Kolkata")
    }

    # Clocks go forward at 02:00 local in New York and Berlin, at 02:00 in Adelaide too;
    # they go back at 02:00 (New York), 03:00 (Berlin, Adelaide): read before the change.
    assert (
        "BEGIN:DAYLIGHT\r\nDTSTART:20210314T020000\r\nRDATE:20220313T020000\r\n"
        in text["America/New_York"]
    )
    assert (
        "BEGIN:STANDARD\r\nDTSTART:20211107T020000\r\nRDATE:20221106T020000\r\n"
        in text["America/New_York"]
    )
    assert (
        "BEGIN:DAYLIGHT\r\nDTSTART:20210328T020000\r\nRDATE:20220327T020000\r\n"
        in text["Europe/Berlin"]
    )
    assert (
        "BEGIN:STANDARD\r\nDTSTART:20211031T030000\r\nRDATE:20221030T030000\r\n"
        in text["Europe/Berlin"]
    )
    assert (
        "BEGIN:DAYLIGHT\r\nDTSTART:20211003T020000\r\nRDATE:20221002T020000\r\n"
        in text["Australia/Adelaide"]
    )
    assert "RDATE" not in text["Asia/Kolkata"]
    assert "TZOFFSETTO:+0530" in text["Asia/Kolkata"]


def test_zone_changes_lists_each_change_to_the_second() -> None:
    changes = zone_changes(
        ZoneInfo("Europe/Berlin"),
        start=datetime(2021, 1, 1, tzinfo=UTC),
        end=datetime(2022, 1, 1, tzinfo=UTC),
    )

    assert [(change.at, change.onset, change.name) for change in changes] == [
        (datetime(2021, 3, 28, 1, tzinfo=UTC), datetime(2021, 3, 28, 2), "CEST"),
        (datetime(2021, 10, 31, 1, tzinfo=UTC), datetime(2021, 10, 31, 3), "CET"),
    ]


def test_a_meeting_moved_into_the_repeated_hour_keeps_its_length_everywhere(
    db: None, tmp_path: Path
) -> None:
    """Berlin 2027-10-31: 02:00-03:00 happens twice. A one-hour meeting moved to the second
    02:30 (01:30 UTC) ends at 03:30 CET (02:30 UTC)."""
    run = RunFactory(starts_on=date(2027, 10, 18), weeks=3, timezone="Europe/Berlin")
    person = UserFactory(timezone="Europe/Berlin")
    RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
    series = weekly_series(
        run,
        weekday=0,
        start=time(18, 0),
        anchor="Europe/Berlin",
        members=[person],
        duration_minutes=60,
    )
    first = series.occurrences.order_by("starts_at")[0]
    second = series.occurrences.order_by("starts_at")[1]
    move_occurrence(first, starts_at=datetime(2027, 10, 31, 0, 30, tzinfo=UTC))  # first 02:30
    move_occurrence(second, starts_at=datetime(2027, 10, 31, 1, 30, tzinfo=UTC))  # second 02:30
    url = reverse("scheduling:run_feed", kwargs={"slug": run.course.slug, "run": run.slug})

    body = Client().get(url).content

    expected = _stored(run)
    assert read_with_vobject(body) == expected
    assert read_with_icalendar(body) == expected
    assert sorted(expected.values())[:2] == [
        (datetime(2027, 10, 31, 0, 30, tzinfo=UTC), datetime(2027, 10, 31, 1, 30, tzinfo=UTC)),
        (datetime(2027, 10, 31, 1, 30, tzinfo=UTC), datetime(2027, 10, 31, 2, 30, tzinfo=UTC)),
    ]
    # Local times that occur twice are written in UTC; the others keep the zone.
    assert b"DTSTART:20271031T003000Z" in body
    assert b"DTSTART:20271031T013000Z" in body
    assert read_with_calcurse(body, tmp_path, around=date(2027, 10, 31)) == sorted(
        expected.values()
    )
    assert read_with_khal(body, tmp_path, around=date(2027, 10, 31)) == sorted(expected.values())


# ---- what polling clients and iTIP checkers need ---------------------------------------------


def test_feeds_name_the_courses_contact_as_organizer(world: dict[str, object]) -> None:
    run: Run = world["run"]  # type: ignore[assignment]

    for name, body in _feeds(world).items():
        organizers = {
            (str(event["organizer"]), str(event["organizer"].params["CN"]))
            for event in Calendar.from_ical(body).walk("VEVENT")
        }
        assert (name, organizers) == (
            name,
            {(f"mailto:{run.course.contact_email}", run.course.title)},
        )
        parsed = vobject.readOne(body.decode())
        assert parsed.method.value == "PUBLISH"
        assert {event.organizer.value for event in parsed.vevent_list} == {
            f"mailto:{run.course.contact_email}"
        }


def test_a_feed_answers_304_to_its_etag_or_its_date_and_200_after_a_change(
    world: dict[str, object],
) -> None:
    run: Run = world["run"]  # type: ignore[assignment]
    url = reverse("scheduling:run_feed", kwargs={"slug": run.course.slug, "run": run.slug})
    first = Client().get(url)
    latest = max(Occurrence.objects.filter(session__run=run).values_list("updated_at", flat=True))

    by_tag = Client().get(url, headers={"if-none-match": first["ETag"]})
    by_date = Client().get(url, headers={"if-modified-since": first["Last-Modified"]})
    occurrence = Occurrence.objects.filter(session__run=run).order_by("starts_at")[3]
    with time_machine.travel(latest + timedelta(seconds=5)):  # Last-Modified counts seconds
        move_occurrence(occurrence, starts_at=occurrence.starts_at + timedelta(hours=1))
    after_tag = Client().get(url, headers={"if-none-match": first["ETag"]})
    after_date = Client().get(url, headers={"if-modified-since": first["Last-Modified"]})

    assert first["Last-Modified"] == latest.strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert (by_tag.status_code, by_tag.content, by_tag["ETag"]) == (304, b"", first["ETag"])
    assert (by_date.status_code, by_date.content) == (304, b"")
    assert (after_tag.status_code, after_date.status_code) == (200, 200)
    assert after_tag["ETag"] != first["ETag"]


def test_a_feed_written_twice_keeps_its_etag(world: dict[str, object]) -> None:
    """DTSTAMP (the moment of writing) changes; the ETag follows only the content."""
    run: Run = world["run"]  # type: ignore[assignment]
    url = reverse("scheduling:run_feed", kwargs={"slug": run.course.slug, "run": run.slug})

    with time_machine.travel(datetime(2030, 1, 1, tzinfo=UTC)):
        later = Client().get(url)
    now = Client().get(url)

    assert later.content != now.content
    assert later["ETag"] == now["ETag"]


def test_an_empty_feed_is_a_valid_calendar_for_every_parser(db: None, tmp_path: Path) -> None:
    run = RunFactory(starts_on=date(2021, 2, 22), timezone="Asia/Kolkata")
    url = reverse("scheduling:run_feed", kwargs={"slug": run.course.slug, "run": run.slug})

    response = Client().get(url)

    calendar = Calendar.from_ical(response.content)
    assert (response.status_code, [c.name for c in calendar.subcomponents]) == (200, ["VTIMEZONE"])
    assert (str(calendar["version"]), str(calendar["prodid"])) == (
        "2.0",
        "-//cohortkit//live sessions//EN",
    )
    parsed = vobject.readOne(response.content.decode())
    assert (parsed.version.value, list(getattr(parsed, "vevent_list", []))) == ("2.0", [])
    assert read_with_calcurse(response.content, tmp_path, around=date(2021, 3, 1)) == []
    assert read_with_khal(response.content, tmp_path, around=date(2021, 3, 1)) == []
    assert "ETag" in response
