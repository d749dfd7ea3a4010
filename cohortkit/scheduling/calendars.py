"""iCalendar (RFC 5545) feeds: a person's sessions, a run's public sessions, one session.

Each occurrence is one VEVENT (no RRULE), so moved and cancelled weeks need no exception
rules: a moved week keeps its UID with a higher SEQUENCE, a cancelled one is sent with
STATUS:CANCELLED (clients remove it). Start and end are written in the series' anchor zone
with TZID and a VTIMEZONE (`add_missing_timezones`); UTC series are written in UTC.

Titles and agendas are written in the language of the `texts` lookup given (a person's
feed: `translations.mail.person_texts`), or as written (public feeds, downloads). The
language changes neither UID nor SEQUENCE: the same meeting, said otherwise.
"""

from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from cohortkit.courses.models import Run
from cohortkit.scheduling.models import Occurrence
from cohortkit.scheduling.translation_units import session_key
from cohortkit.translations.queries import TextLookup

PRODID = "-//cohortkit//live sessions//EN"


def occurrence_uid(occurrence: Occurrence) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "cohortkit"
    return f"session-{occurrence.pk}@{host}"


def _event(
    occurrence: Occurrence, *, run: Run, with_link: bool, stamp: datetime, texts: TextLookup | None
) -> Event:
    session = occurrence.session
    title, agenda, course_title = session.title, session.agenda, run.course.title
    if texts is not None:
        title = texts.text(session_key(run, session, "title"), title)
        agenda = texts.text(session_key(run, session, "agenda"), agenda)
        course_title = texts.text("course.title", course_title)
    zone = ZoneInfo(session.anchor) if session.anchor != "UTC" else UTC
    event = Event()
    event.add("uid", occurrence_uid(occurrence))
    event.add("dtstamp", stamp)
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
    for occurrence in occurrences:
        calendar.add_component(
            _event(occurrence, run=run, with_link=with_link, stamp=stamp, texts=texts)
        )
    calendar.add_missing_timezones()
    return calendar.to_ical()
