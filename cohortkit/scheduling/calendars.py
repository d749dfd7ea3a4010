"""iCalendar (RFC 5545) feeds: a person's sessions, a run's public sessions, one session.

Each occurrence is one VEVENT (no RRULE), so moved and cancelled weeks need no exception
rules: a moved week keeps its UID with a higher SEQUENCE, a cancelled one is sent with
STATUS:CANCELLED (clients remove it). Start and end are written in the series' anchor zone
with TZID and a VTIMEZONE built here (`vtimezone`); UTC series are written in UTC, and so
is a start or end whose local time occurs twice (the hour repeated when clocks go back),
since a local time with TZID cannot say which of the two is meant. DTEND is always the
stored end instant, so a meeting keeps its length in every client.

The VTIMEZONE lists each change of the years the events need as its own RDATE line (some
parsers, vobject and Thunderbird's ical.js among them, read only the first date of a
comma-separated RDATE), with each onset at the local time the clocks show just before the
change (RFC 5545: DTSTART of an observance is in its TZOFFSETFROM), so 2021-03-14 in New
York starts daylight time at 02:00, not 03:00.

The calendar is named after its organiser, the course's contact address (ORGANIZER with
METHOD:PUBLISH), and a feed without events still holds one component (the run's zone):
RFC 5545 requires at least one, and some parsers refuse an empty VCALENDAR.

Titles and agendas are written in the language of the `texts` lookup given (a person's
feed: `translations.mail.person_texts`), or as written (public feeds, downloads). The
language changes neither UID nor SEQUENCE: the same meeting, said otherwise.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress

from cohortkit.courses.models import Run
from cohortkit.scheduling.models import Occurrence
from cohortkit.scheduling.translation_units import session_key, session_title
from cohortkit.translations.queries import TextLookup

PRODID = "-//cohortkit//live sessions//EN"


@dataclass(frozen=True)
class Change:
    """One change of a zone's offset: the UTC instant and the offsets around it."""

    at: datetime
    offset_from: timedelta
    offset_to: timedelta
    is_dst: bool
    name: str

    @property
    def onset(self) -> datetime:
        """The local wall time of the change, read on the clocks before it (naive)."""
        return (self.at + self.offset_from).replace(tzinfo=None)


def _state(zone: tzinfo, at: datetime) -> tuple[timedelta, bool, str]:
    local = at.astimezone(zone)
    return (
        local.utcoffset() or timedelta(0),
        bool(local.dst()),
        local.tzname() or "",
    )


def zone_changes(zone: tzinfo, *, start: datetime, end: datetime) -> list[Change]:
    """Every change of `zone` between the UTC instants `start` and `end`, found by
    stepping a day at a time and bisecting to the second (zoneinfo keeps the rules but
    does not list them)."""
    changes: list[Change] = []
    step = timedelta(days=1)
    at, state = start, _state(zone, start)
    while at < end:
        following = min(at + step, end)
        next_state = _state(zone, following)
        if next_state != state:
            low, high = at, following  # state at low, next_state at high
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle <= low:
                    break
                if _state(zone, middle) == state:
                    low = middle
                else:
                    high = middle
            changes.append(
                Change(
                    at=high,
                    offset_from=state[0],
                    offset_to=next_state[0],
                    is_dst=next_state[1],
                    name=next_state[2],
                )
            )
        at, state = following, next_state
    return changes


def vtimezone(name: str, *, first: datetime, last: datetime) -> Timezone:
    """A VTIMEZONE for the IANA zone `name` covering the UTC instants `first` to `last`
    (whole years around them): the offset in force on 1 January of the first year as one
    observance, then one STANDARD or DAYLIGHT per kind of change, its first onset as
    DTSTART and each later one as its own RDATE line."""
    zone = ZoneInfo(name)
    start = datetime(first.year, 1, 1, tzinfo=UTC)
    end = datetime(last.year + 1, 1, 1, tzinfo=UTC)
    offset, is_dst, tzname = _state(zone, start)
    component = Timezone()
    component.add("tzid", name)
    initial = TimezoneDaylight() if is_dst else TimezoneStandard()
    initial.add("dtstart", (start + offset).replace(tzinfo=None))
    initial.add("tzoffsetfrom", offset)
    initial.add("tzoffsetto", offset)
    initial.add("tzname", tzname)
    component.add_component(initial)
    groups: dict[tuple[bool, timedelta, timedelta, str], list[Change]] = {}
    for change in zone_changes(zone, start=start, end=end):
        groups.setdefault(
            (change.is_dst, change.offset_from, change.offset_to, change.name), []
        ).append(change)
    for (dst, offset_from, offset_to, change_name), changes in groups.items():
        observance = TimezoneDaylight() if dst else TimezoneStandard()
        observance.add("dtstart", changes[0].onset)
        for later in changes[1:]:
            observance.add("rdate", later.onset)
        observance.add("tzoffsetfrom", offset_from)
        observance.add("tzoffsetto", offset_to)
        observance.add("tzname", change_name)
        component.add_component(observance)
    return component


def _is_ambiguous(instant: datetime, zone: ZoneInfo) -> bool:
    """Whether the local time of `instant` in `zone` occurs twice (clocks going back)."""
    wall = instant.astimezone(zone).replace(tzinfo=None)
    return (
        wall.replace(tzinfo=zone, fold=0).utcoffset()
        != wall.replace(tzinfo=zone, fold=1).utcoffset()
    )


def occurrence_uid(occurrence: Occurrence) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "cohortkit"
    return f"session-{occurrence.pk}@{host}"


def _event(
    occurrence: Occurrence, *, run: Run, with_link: bool, stamp: datetime, texts: TextLookup | None
) -> Event:
    session = occurrence.session
    title, agenda, course_title = str(session), session.agenda, run.course.title
    if texts is not None:
        title = session_title(texts, run, session)
        agenda = texts.text(session_key(run, session, "agenda"), agenda)
        course_title = texts.text("course.title", course_title)
    event = Event()
    event.add("uid", occurrence_uid(occurrence))
    event.add("dtstamp", stamp)
    zone = ZoneInfo(session.anchor) if session.anchor != "UTC" else None
    if zone is None or any(
        _is_ambiguous(instant, zone) for instant in (occurrence.starts_at, occurrence.ends_at)
    ):
        event.add("dtstart", occurrence.starts_at.astimezone(UTC))
        event.add("dtend", occurrence.ends_at.astimezone(UTC))
    else:
        event.add("dtstart", occurrence.starts_at.astimezone(zone))
        event.add("dtend", occurrence.ends_at.astimezone(zone))
    event.add("sequence", occurrence.sequence)
    event.add("last-modified", occurrence.updated_at.astimezone(UTC))
    event.add("summary", f"{title} — {course_title}")
    event.add("status", "CANCELLED" if occurrence.is_cancelled else "CONFIRMED")
    url = settings.SITE_URL + reverse(
        "scheduling:occurrence",
        kwargs={"slug": run.course.slug, "run": run.slug, "pk": occurrence.pk},
    )
    event.add("url", url)
    event.add("organizer", organizer(run))
    lines = []
    if occurrence.note:
        lines.append(occurrence.note)
    if with_link and session.video_url:
        lines.append(session.video_url)
        event.add("location", session.video_url)
    if with_link and agenda:
        lines.append(agenda)
    if with_link and occurrence.recording_url:
        lines.append(occurrence.recording_url)
    lines.append(url)
    event.add("description", "\n\n".join(lines))
    return event


def organizer(run: Run) -> vCalAddress:
    """The course's contact address, named after the course, as ORGANIZER."""
    address = vCalAddress(f"mailto:{run.course.contact_email}")
    address.params["cn"] = run.course.title
    return address


def calendar_for(
    occurrences: Iterable[Occurrence],
    *,
    run: Run,
    with_link: bool,
    stamp: datetime,
    texts: TextLookup | None = None,
) -> bytes:
    """A VCALENDAR of the occurrences (their series selected), as bytes, named after the
    course and the run.

    `with_link` adds the call link, agenda and recording (the personal feed and the
    single download for members; not the public feed). `texts` (holding the course and
    run titles and the series' `session_keys`) writes the titles and agendas in its
    language; without it they are as written.
    """
    name = str(run)
    if texts is not None:
        name = f"{texts.text('course.title', run.course.title)} ({texts.run(run)})"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    events = [
        _event(occurrence, run=run, with_link=with_link, stamp=stamp, texts=texts)
        for occurrence in occurrences
    ]
    spans: dict[str, list[datetime]] = {}
    for event in events:
        for key in ("dtstart", "dtend"):
            tzid = event[key].params.get("TZID")
            if tzid:
                spans.setdefault(str(tzid), []).append(event.decoded(key).astimezone(UTC))
    if not events:  # one component at least: the run's own zone
        spans[run.timezone] = [run.starts_at.astimezone(UTC)]
    for name, instants in sorted(spans.items()):
        calendar.add_component(vtimezone(name, first=min(instants), last=max(instants)))
    for event in events:
        calendar.add_component(event)
    return calendar.to_ical()
