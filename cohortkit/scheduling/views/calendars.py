"""Calendars: iCalendar files and feeds (per meeting, per run, per person) and the page
where a person subscribes."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cohortkit.accounts.requests import signed_in_person
from cohortkit.courses.models import Role
from cohortkit.courses.permissions import require_member, run_for
from cohortkit.scheduling import services
from cohortkit.scheduling.calendars import calendar_for
from cohortkit.scheduling.models import CalendarToken, Occurrence
from cohortkit.scheduling.queries import is_invited
from cohortkit.scheduling.translation_units import session_keys
from cohortkit.scheduling.views.common import is_staff_in, occurrence_in, urlargs
from cohortkit.translations.mail import person_texts
from cohortkit.translations.queries import content_lookup

ICS = "text/calendar; charset=utf-8"


def _ics(
    request: HttpRequest, body: bytes, filename: str, occurrences: list[Occurrence]
) -> HttpResponse:
    """The calendar with validators for polling clients: an ETag of its content (DTSTAMP,
    the moment of writing, left out) and Last-Modified, the latest change of its meetings;
    a repeated request answers 304 Not Modified (If-None-Match first, as RFC 9110 says)."""
    content = b"\r\n".join(line for line in body.split(b"\r\n") if not line.startswith(b"DTSTAMP"))
    etag = f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    last_modified = max((o.updated_at for o in occurrences), default=None)
    stamp = int(last_modified.timestamp()) if last_modified else None
    response = get_conditional_response(request, etag=etag, last_modified=stamp)
    if response is None:
        response = HttpResponse(body, content_type=ICS)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["ETag"] = etag
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_safe
def occurrence_ics(request: HttpRequest, slug: str, run: str, pk: int) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    occurrence = occurrence_in(the_run, pk)
    user = signed_in_person(request)
    with_link = is_staff_in(request, the_run) or is_invited(occurrence, user)
    body = calendar_for(
        [occurrence],
        run=the_run,
        with_link=with_link,
        stamp=timezone.now(),
        texts=content_lookup(request, the_run.course),  # the reader's content language
    )
    return _ics(request, body, f"session-{occurrence.pk}.ics", [occurrence])


@login_not_required
@require_safe
def run_feed(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """The run's public calendar: every session's time and title, without call links, in
    the course's own language (it is no one's in particular)."""
    the_run = run_for(request, slug, run)
    occurrences = list(Occurrence.objects.filter(session__run=the_run).select_related("session"))
    with translation.override(the_run.course.language):  # untitled series' names too
        body = calendar_for(occurrences, run=the_run, with_link=False, stamp=timezone.now())
    return _ics(request, body, f"{the_run.course.slug}-{the_run.slug}.ics", occurrences)


@login_not_required
@require_safe
def personal_feed(request: HttpRequest, slug: str, run: str, token: str) -> HttpResponse:
    """A person's sessions with call links, for calendar apps: the secret URL is the key.
    Titles and agendas are in the person's content language (`person_texts`: the calendar
    app fetching the feed says nothing about its reader)."""
    the_run = run_for(request, slug, run)
    found = get_object_or_404(
        CalendarToken.objects.select_related("user"),
        run=the_run,
        token=token,
        revoked_at__isnull=True,
    )
    roles = set(found.user.run_roles.filter(run=the_run).values_list("role", flat=True))
    if not roles:
        raise Http404  # the role ended: so did the feed (and its call links)
    found_occurrences = Occurrence.objects.for_person(the_run, found.user)
    if roles & {Role.FACILITATOR, Role.COORDINATOR}:
        found_occurrences = Occurrence.objects.filter(session__run=the_run)
    occurrences = list(found_occurrences.select_related("session").distinct())
    sessions = {occurrence.session_id: occurrence.session for occurrence in occurrences}
    texts = person_texts(
        the_run.course,
        found.user,
        runs=[the_run],
        keys=session_keys(the_run, sessions.values()),
    )
    with translation.override(found.user.mail_language):  # untitled series' names too
        body = calendar_for(
            occurrences, run=the_run, with_link=True, stamp=timezone.now(), texts=texts
        )
    return _ics(request, body, f"{the_run.course.slug}-{the_run.slug}-mine.ics", occurrences)


@require_safe
def calendar(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    """Where to subscribe: the person's secret feed URL (made on request) and the public one."""
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    token = CalendarToken.objects.filter(
        run=the_run, user=signed_in_person(request), revoked_at__isnull=True
    ).first()
    feed_url = (
        request.build_absolute_uri(
            reverse("scheduling:personal_feed", kwargs=urlargs(the_run, token=token.token))
        )
        if token
        else ""
    )
    return render(
        request,
        "scheduling/calendar.html",
        {"run": the_run, "course": the_run.course, "token": token, "feed_url": feed_url},
    )


@require_POST
def calendar_new(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    services.issue_calendar_token(the_run, signed_in_person(request), at=timezone.now())
    messages.success(
        request, _("Your private calendar link is ready. Any older link stops working.")
    )
    return redirect("scheduling:calendar", **urlargs(the_run))


@require_POST
def calendar_revoke(request: HttpRequest, slug: str, run: str) -> HttpResponse:
    the_run = run_for(request, slug, run)
    require_member(request, the_run)
    services.revoke_calendar_token(the_run, signed_in_person(request), at=timezone.now())
    messages.success(request, _("Your private calendar link no longer works."))
    return redirect("scheduling:calendar", **urlargs(the_run))
