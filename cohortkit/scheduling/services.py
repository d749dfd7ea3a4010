"""Every change to live sessions: availability, plans, series, exceptions, reminders,
calendar tokens and attendance. Each service runs in one transaction and queues its
follow-ups (tasks, mail) after commit."""

import time as clock
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cohortkit.accounts.models import User
from cohortkit.accounts.timezones import zone_label
from cohortkit.courses.models import Run
from cohortkit.notifications.models import MailState, OutboxMessage
from cohortkit.notifications.services import Mail, queue_mails
from cohortkit.scheduling.availability import Availability
from cohortkit.scheduling.models import (
    Attendance,
    AttendanceStatus,
    CalendarToken,
    Occurrence,
    PlanStatus,
    Session,
    SessionKind,
    SessionPlan,
    WeeklyAvailability,
    availability_to_hex,
)
from cohortkit.scheduling.plan_results import plan_result_json
from cohortkit.scheduling.planner import SessionTime, evaluate_plan, plan_sessions
from cohortkit.scheduling.queries import (
    expected_people,
    invited_people,
    plan_facilitators,
    planning_participants,
    run_participants,
    weekly_clashes,
)
from cohortkit.scheduling.translation_units import session_key, session_keys, session_title
from cohortkit.translations.mail import mail_texts, mail_titles
from cohortkit.translations.queries import TextLookup

# Plans at least this big (participants x weekly times) run in the task worker.
BACKGROUND_SESSIONS = 3
BACKGROUND_PARTICIPANTS = 1000
ONBOARDING_MINUTES = 60
REMINDER_KIND = "scheduling-reminder"


class SchedulingError(ValueError):
    """A change that cannot be made; the message says why, for the person who asked."""


# ---- availability ---------------------------------------------------------------------------


def save_availability(
    run: Run, user: User, *, availability: Availability, zone: str
) -> WeeklyAvailability:
    """Store the person's weekly availability (local slots) and zone for the run.

    Changes: one WeeklyAvailability row (created or replaced). Sends and queues nothing.
    """
    with transaction.atomic():
        row, _created = WeeklyAvailability.objects.update_or_create(
            run=run,
            user=user,
            defaults={"timezone": zone, "slots": availability_to_hex(availability)},
        )
    return row


# ---- planning ---------------------------------------------------------------------------------


def parse_fixed_times(text: str) -> list[SessionTime]:
    """'Mon 14:00; Thu 18:30' → session times; ValueError naming the piece otherwise."""
    times = [SessionTime.parse(piece.strip()) for piece in text.split(";") if piece.strip()]
    if len({t.index for t in times}) != len(times):
        raise ValueError("the same time appears twice")
    return times


def request_plan(
    run: Run,
    *,
    kind: str,
    sessions: int,
    duration_minutes: int,
    anchor: str,
    fixed_times: str = "",
    by: User | None,
) -> SessionPlan:
    """Create a plan for the run's participants and compute it: now for small cohorts,
    in the task worker (enqueued after commit) for K >= 3 or more than 1,000 people.

    Changes: one SessionPlan row (with its result when computed now). Queues
    `task_compute_plan` for big plans. Sends nothing.
    """
    if fixed_times:
        sessions = len(parse_fixed_times(fixed_times))
    with transaction.atomic():
        plan = SessionPlan.objects.create(
            run=run,
            kind=kind,
            sessions=sessions,
            duration_minutes=duration_minutes,
            anchor=anchor,
            fixed_times=fixed_times,
            created_by=by,
        )
        big = run_participants(run).count() > BACKGROUND_PARTICIPANTS
        if not fixed_times and (sessions >= BACKGROUND_SESSIONS or big):
            from cohortkit.scheduling.tasks import task_compute_plan  # noqa: PLC0415 — tasks import this module: a top-level import is a cycle

            plan_id = plan.pk
            transaction.on_commit(lambda: task_compute_plan.enqueue(plan_id))
            return plan
    return compute_plan(plan)


def compute_plan(plan: SessionPlan) -> SessionPlan:
    """Run the planner (or evaluate the fixed times) and store the result on the plan.

    Changes: the plan's status, progress and result (progress is saved as it goes, at most
    twice a second, so a page can poll it). Sends and queues nothing.
    """
    run = plan.run
    SessionPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.RUNNING, stage="maps")
    last = [0.0]

    def progress(stage: str, fraction: float) -> None:
        now = clock.monotonic()
        if now - last[0] > 0.5:
            last[0] = now
            SessionPlan.objects.filter(pk=plan.pk).update(stage=stage, progress=fraction)

    people = planning_participants(run)
    options: dict[str, Any] = {
        "start": run.starts_on,
        "weeks": run.weeks,
        "duration_minutes": plan.duration_minutes,
        "anchor": plan.anchor,
        "progress": progress,
    }
    try:
        if plan.fixed_times:
            result = evaluate_plan(people, parse_fixed_times(plan.fixed_times), **options)
        else:
            k = min(plan.sessions, 672)
            result = plan_sessions(people, sessions=k, **options)
    except ValueError as error:
        plan.status, plan.error = PlanStatus.FAILED, str(error)
    else:
        plan.status, plan.result = PlanStatus.DONE, plan_result_json(result)
    plan.stage, plan.progress, plan.finished_at = "done", 1.0, timezone.now()
    plan.save(update_fields=["status", "error", "result", "stage", "progress", "finished_at"])
    return plan


def can_accept_plans(run: Run, *, at: datetime) -> bool:
    """Whether a plan accepted at `at` would still have weeks to schedule: until the run's
    last meeting could start (the end of its last day in its zone)."""
    return at < run.ends_at


def accept_plan(plan: SessionPlan, *, by: User | None, at: datetime) -> list[Session]:
    """Turn a computed plan into session series with their weekly occurrences.

    Before the run, replaces the run's series of the plan's kind. Mid-run, replaces them for
    the remaining weeks: meetings that started before `at` stay (with their attendance) in
    the old series, later ones are deleted, and the new series get only the meetings that
    start at `at` or later. Refused after the run's last day, and when attendance was recorded
    for a meeting that has not started yet. Adds the onboarding call at the run's onboarding
    instant when missing. Weekly series get the participants the plan assigned to them;
    office hours go round the run's facilitators. Changes: Session and Occurrence rows, the
    plan's accepted_at. Queues a reminder e-mail per person and new occurrence (deleting the
    replaced meetings' queued ones).
    """
    outcome = plan.outcome
    if plan.status != PlanStatus.DONE or outcome is None:
        raise SchedulingError(_("This plan has no result to accept."))
    run = plan.run
    if not can_accept_plans(run, at=at):
        raise SchedulingError(
            _("The run has ended: there are no weeks left to schedule with this plan.")
        )
    with transaction.atomic():
        old = Session.objects.filter(run=run, kind=plan.kind)
        replaced = Occurrence.objects.filter(session__in=old, starts_at__gte=at)
        if Attendance.objects.filter(occurrence__in=replaced).exists():
            raise SchedulingError(
                _(
                    "Attendance has been recorded for a session of this kind that has not "
                    "started yet, so it cannot be replaced. Move or cancel single weeks instead."
                )
            )
        _delete_reminders(replaced)
        replaced.delete()
        # Series whose meetings all lay ahead are gone; those with past meetings stay as
        # the record of what took place.
        old.filter(occurrences__isnull=True).delete()
        facilitators = plan_facilitators(run)
        created = []
        for index, entry in enumerate(outcome.times):
            session_time = entry.session_time
            facilitator = facilitators[index % len(facilitators)] if facilitators else None
            # No stored title: "Weekly live session, group 2" or "Office hours 2" is said in
            # each reader's language (Session.default_title), not the accepting person's.
            session = Session.objects.create(
                run=run,
                kind=plan.kind,
                group=index + 1,
                anchor=plan.anchor,
                weekday=session_time.weekday,
                start_time=time(session_time.minute_of_day // 60, session_time.minute_of_day % 60),
                duration_minutes=plan.duration_minutes,
                facilitator=facilitator,
                plan=plan,
            )
            if plan.kind == SessionKind.WEEKLY:
                session.members.set(outcome.members(index))
            _create_occurrences(session, run, after=at)
            created.append(session)
        if (
            run.onboarding_at
            and not Session.objects.filter(run=run, kind=SessionKind.ONBOARDING).exists()
        ):
            created.append(
                add_one_off(run, kind=SessionKind.ONBOARDING, starts_at=run.onboarding_at)
            )
        plan.accepted_at = at
        plan.save(update_fields=["accepted_at"])
        # The course's texts for every participant's mail, loaded once for all the meetings.
        languages = {
            person.mail_language for person in run_participants(run).only("interface_language")
        }
        texts = mail_texts(run.course, languages, runs=[run], keys=session_keys(run, created))
        for session in created:
            for occurrence in session.occurrences.all():
                sync_reminders(occurrence, texts=texts)
    return created


def office_hours_clashes(plan: SessionPlan) -> list[tuple[int, User, list[Occurrence]]]:
    """For an office-hours plan: each time (0-based index) whose facilitator (as
    `accept_plan` would hand them out) has weekly live sessions clashing with it in some
    week, with those meetings. Empty for weekly plans and plans without a result."""
    outcome = plan.outcome
    if plan.kind != SessionKind.OFFICE_HOURS or outcome is None:
        return []
    run = plan.run
    facilitators = plan_facilitators(run)
    if not facilitators:
        return []
    length = timedelta(minutes=plan.duration_minutes)
    found = []
    for index, entry in enumerate(outcome.times):
        minute = entry.minute
        series = Session(weekday=entry.weekday, anchor=plan.anchor)
        series.start_time = time(minute // 60, minute % 60)
        starts = [series.week_instant(run.starts_on, week) for week in range(run.weeks)]
        facilitator = facilitators[index % len(facilitators)]
        clashes = weekly_clashes(facilitator, [(start, start + length) for start in starts])
        if clashes:
            found.append((index, facilitator, clashes))
    return found


def _mail_session_title(texts: TextLookup, run: Run, session: Session, language: str) -> str:
    """The series' title in a mail's language (a title without words of its own is
    interface text, so the mail's language is activated to say it)."""
    with translation.override(language):
        return session_title(texts, run, session)


def _create_occurrences(session: Session, run: Run, *, after: datetime | None = None) -> None:
    """The series' weekly meetings (only those starting at `after` or later, when given)."""
    duration = timedelta(minutes=session.duration_minutes)
    instants = [(week, session.week_instant(run.starts_on, week)) for week in range(run.weeks)]
    Occurrence.objects.bulk_create(
        Occurrence(
            session=session,
            week=week,
            starts_at=instant,
            ends_at=instant + duration,
            original_starts_at=instant,
        )
        for week, instant in instants
        if after is None or instant >= after
    )


def add_one_off(
    run: Run,
    *,
    kind: str,
    starts_at: datetime,
    duration_minutes: int = ONBOARDING_MINUTES,
    title: str = "",
) -> Session:
    """A single meeting (the onboarding call) as a series of one occurrence (week -1 when
    before the run). Changes: a Session and its Occurrence. Queues reminders after commit."""
    starts_at = starts_at.astimezone(UTC)
    with transaction.atomic():
        session = Session.objects.create(
            run=run,
            kind=kind,
            title=title,
            anchor=run.timezone,
            duration_minutes=duration_minutes,
        )
        week = (starts_at.astimezone(run.zone).date() - run.starts_on).days // 7
        occurrence = Occurrence.objects.create(
            session=session,
            week=week,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=duration_minutes),
            original_starts_at=starts_at,
        )
        sync_reminders(occurrence)
    return session


# ---- exceptions and details ------------------------------------------------------------------


def move_occurrence(occurrence: Occurrence, *, starts_at: datetime, note: str = "") -> Occurrence:
    """Move one week's meeting to another instant (same length).

    Changes: the occurrence's start, end and note; raises its SEQUENCE (calendar feeds show
    the new time). Its queued reminders are replaced by ones for the new time, and everyone
    invited is mailed now (`notify_change`) with the old and the new time in their zone.
    """
    if occurrence.is_cancelled:
        raise SchedulingError(_("A cancelled session cannot be moved; restore it first."))
    with transaction.atomic():
        previous = occurrence.starts_at
        length = occurrence.ends_at - occurrence.starts_at
        occurrence.starts_at = starts_at.astimezone(UTC)
        occurrence.ends_at = occurrence.starts_at + length
        occurrence.note = note
        occurrence.sequence += 1
        occurrence.save(update_fields=["starts_at", "ends_at", "note", "sequence", "updated_at"])
        sync_reminders(occurrence)
        notify_change(occurrence, change=CHANGE_MOVED, previous_starts_at=previous)
    return occurrence


def cancel_occurrence(occurrence: Occurrence, *, note: str = "") -> Occurrence:
    """Cancel one week's meeting. Changes: is_cancelled, note, SEQUENCE (calendar feeds mark
    it STATUS:CANCELLED). Deletes its queued reminders (mail already sent stays in the
    outbox) and mails everyone invited now (`notify_change`)."""
    with transaction.atomic():
        occurrence.is_cancelled = True
        occurrence.note = note
        occurrence.sequence += 1
        occurrence.save(update_fields=["is_cancelled", "note", "sequence", "updated_at"])
        sync_reminders(occurrence)
        notify_change(occurrence, change=CHANGE_CANCELLED)
    return occurrence


def restore_occurrence(occurrence: Occurrence) -> Occurrence:
    """Undo a cancellation. Changes: is_cancelled, SEQUENCE; queues the reminders again and
    mails everyone invited that the meeting takes place after all (`notify_change`)."""
    with transaction.atomic():
        occurrence.is_cancelled = False
        occurrence.sequence += 1
        occurrence.save(update_fields=["is_cancelled", "sequence", "updated_at"])
        sync_reminders(occurrence)
        notify_change(occurrence, change=CHANGE_RESTORED)
    return occurrence


CHANGE_KIND = "scheduling-change"
CHANGE_MOVED, CHANGE_CANCELLED, CHANGE_RESTORED = "moved", "cancelled", "restored"


def notify_change(
    occurrence: Occurrence,
    *,
    change: str,
    previous_starts_at: datetime | None = None,
    now: datetime | None = None,
) -> int:
    """Mail everyone invited to the meeting that it moved, was cancelled or takes place
    again: one message each, sent now, in their language, with the times in their zone and
    the course's texts in that language. Nothing for a meeting that is over (at its old and
    its new time). Keyed by meeting, revision (SEQUENCE) and person, so a change is told
    once. Returns how many were queued (their sending is enqueued after commit)."""
    now = now or timezone.now()
    latest_start = max(occurrence.starts_at, previous_starts_at or occurrence.starts_at)
    if latest_start <= now:
        return 0
    session = occurrence.session
    run = session.run
    schedule_url = settings.SITE_URL + reverse(
        "scheduling:schedule", kwargs={"slug": run.course.slug, "run": run.slug}
    )
    people = invited_people(occurrence)
    languages = {person.mail_language for person in people}
    texts = mail_texts(run.course, languages, runs=[run], keys=session_keys(run, [session]))
    mails = []
    for person in people:
        zone = person.timezone or "UTC"
        content = texts[person.mail_language]
        mails.append(
            Mail(
                recipient=person.email,
                kind=CHANGE_KIND,
                language=person.mail_language,
                template=f"scheduling/mail/{change}",
                context={
                    "person": person,
                    "session": session,
                    "occurrence": occurrence,
                    "previous_starts_at": previous_starts_at,
                    **mail_titles(run, content),
                    "session_title": _mail_session_title(
                        content, run, session, person.mail_language
                    ),
                    "zone": zone,
                    "zone_label": zone_label(zone, occurrence.starts_at),
                    "previous_zone_label": zone_label(zone, previous_starts_at)
                    if previous_starts_at
                    else "",
                    "schedule_url": schedule_url,
                },
                send_at=now,
                user=person,
                run=run,
                key=f"{CHANGE_KIND}:{occurrence.pk}:{occurrence.sequence}:{person.pk}",
            )
        )
    return len(queue_mails(mails))


def update_session_details(
    session: Session, *, video_url: str, agenda: str, facilitator: User | None
) -> Session:
    """Change a series' call link, agenda and facilitator. Raises the SEQUENCE of its
    occurrences and their `updated_at` (calendars show the new details; feeds answer with
    a new Last-Modified). Sends nothing."""
    with transaction.atomic():
        session.video_url, session.agenda, session.facilitator = video_url, agenda, facilitator
        session.save(update_fields=["video_url", "agenda", "facilitator"])
        session.occurrences.update(sequence=F("sequence") + 1, updated_at=timezone.now())
    return session


def set_recording(occurrence: Occurrence, *, recording_url: str) -> Occurrence:
    """Attach (or clear) the recording link of a past meeting; raises its SEQUENCE."""
    with transaction.atomic():
        occurrence.recording_url = recording_url
        occurrence.sequence += 1
        occurrence.save(update_fields=["recording_url", "sequence", "updated_at"])
    return occurrence


# ---- welcome ---------------------------------------------------------------------------------

WELCOME_KIND = "scheduling-welcome"


def queue_welcome_mail(run: Run, user: User, *, at: datetime) -> OutboxMessage | None:
    """Welcome a person whose seat is confirmed: one mail, sent now, in their language, with
    the onboarding call's date and time in their zone (the run's onboarding session, or its
    onboarding instant while no session exists), its call link when set, the run's first day
    (a date), and what to do before: check the time zone in the profile, give the weekly
    availability, subscribe to the calendar. Keyed per run and person: a second
    confirmation mails nothing. Returns the queued message (None when already queued)."""
    onboarding = (
        Occurrence.objects.filter(
            session__run=run, session__kind=SessionKind.ONBOARDING, is_cancelled=False
        )
        .select_related("session")
        .order_by("starts_at")
        .first()
    )
    starts_at = onboarding.starts_at if onboarding else run.onboarding_at
    zone = user.timezone or "UTC"
    language = user.mail_language
    texts = mail_texts(run.course, {language}, runs=[run], keys=[])[language]

    def url(name: str) -> str:
        return settings.SITE_URL + reverse(name, kwargs={"slug": run.course.slug, "run": run.slug})

    created = queue_mails(
        [
            Mail(
                recipient=user.email,
                kind=WELCOME_KIND,
                language=language,
                template="scheduling/mail/welcome",
                context={
                    "person": user,
                    "run": run,
                    **mail_titles(run, texts),
                    "onboarding_at": starts_at,
                    "onboarding_minutes": onboarding.session.duration_minutes
                    if onboarding
                    else ONBOARDING_MINUTES,
                    "video_url": onboarding.session.video_url if onboarding else "",
                    "onboarding_url": settings.SITE_URL
                    + reverse(
                        "scheduling:occurrence",
                        kwargs={"slug": run.course.slug, "run": run.slug, "pk": onboarding.pk},
                    )
                    if onboarding
                    else "",
                    "zone": zone,
                    "zone_label": zone_label(zone, starts_at) if starts_at else zone,
                    "profile_url": settings.SITE_URL + reverse("accounts:profile"),
                    "availability_url": url("scheduling:availability"),
                    "calendar_url": url("scheduling:calendar"),
                    "run_url": settings.SITE_URL + run.get_absolute_url(),
                },
                send_at=at,
                user=user,
                run=run,
                key=f"{WELCOME_KIND}:{run.pk}:{user.pk}",
            )
        ]
    )
    return created[0] if created else None


# ---- reminders --------------------------------------------------------------------------------


def reminder_key(occurrence: Occurrence, user: User) -> str:
    return f"{REMINDER_KIND}:{occurrence.pk}:{user.pk}"


def _delete_reminders(occurrences: Any) -> int:
    keys = [f"{REMINDER_KIND}:{pk}:" for pk in occurrences.values_list("pk", flat=True)]
    deleted = 0
    for prefix in keys:
        deleted += OutboxMessage.objects.filter(
            key__startswith=prefix, state__in=[MailState.QUEUED, MailState.DRAFT]
        ).delete()[0]
    return deleted


def sync_reminders(
    occurrence: Occurrence,
    *,
    now: datetime | None = None,
    texts: Mapping[str, TextLookup] | None = None,
) -> int:
    """Make the occurrence's queued reminders match it: delete the unsent ones, then queue
    one per invited person `reminder_minutes` before the start, rendered in their language
    and local time, with the course's, run's and series' texts in that language (none for a
    cancelled or past meeting, none when the send time passed; people already reminded are
    not mailed twice). `texts` (`mail_texts` by language) spares a caller that syncs many
    meetings loading the texts for each (it should hold the series' `session_keys`); a
    language it lacks is loaded here. Returns how many were queued."""
    now = now or timezone.now()
    session = occurrence.session
    _delete_reminders(Occurrence.objects.filter(pk=occurrence.pk))
    if occurrence.is_cancelled or not session.reminder_minutes:
        return 0
    send_at = occurrence.starts_at - timedelta(minutes=session.reminder_minutes)
    if send_at <= now:
        return 0
    run = session.run
    schedule_url = settings.SITE_URL + reverse(
        "scheduling:schedule", kwargs={"slug": run.course.slug, "run": run.slug}
    )
    people = list(expected_people(occurrence))
    languages = {person.mail_language for person in people}
    if texts is None or not languages <= texts.keys():
        texts = mail_texts(run.course, languages, runs=[run], keys=session_keys(run, [session]))
    agenda_key = session_key(run, session, "agenda")
    mails = []
    for person in people:
        zone = person.timezone or "UTC"
        content = texts[person.mail_language]
        mails.append(
            Mail(
                recipient=person.email,
                kind=REMINDER_KIND,
                language=person.mail_language,
                template="scheduling/mail/reminder",
                context={
                    "person": person,
                    "session": session,
                    "occurrence": occurrence,
                    "run": session.run,
                    **mail_titles(run, content),
                    "session_title": _mail_session_title(
                        content, run, session, person.mail_language
                    ),
                    "agenda": content.text(agenda_key, session.agenda),
                    "zone": zone,
                    "zone_label": zone_label(zone, occurrence.starts_at),
                    "schedule_url": schedule_url,
                },
                send_at=send_at,
                user=person,
                run=session.run,
                key=reminder_key(occurrence, person),
            )
        )
    return len(queue_mails(mails))


# ---- calendars --------------------------------------------------------------------------------


def issue_calendar_token(run: Run, user: User, *, at: datetime) -> CalendarToken:
    """Give the person a new secret feed URL for the run, revoking the old one.

    Changes: the old token's revoked_at; a new CalendarToken. Sends nothing.
    """
    with transaction.atomic():
        CalendarToken.objects.filter(run=run, user=user, revoked_at__isnull=True).update(
            revoked_at=at
        )
        return CalendarToken.objects.create(run=run, user=user)


def revoke_calendar_token(run: Run, user: User, *, at: datetime) -> int:
    """Stop the person's feed URL working. Changes: revoked_at. Returns tokens revoked."""
    with transaction.atomic():
        return CalendarToken.objects.filter(run=run, user=user, revoked_at__isnull=True).update(
            revoked_at=at
        )


# ---- attendance -------------------------------------------------------------------------------


def record_attendance(
    occurrence: Occurrence, user: User, *, status: str, by: User, at: datetime
) -> Attendance:
    """Record (or correct) one person's attendance at one meeting.

    Refuses people not expected there and cancelled meetings. Changes: one Attendance row.
    """
    if occurrence.is_cancelled:
        raise SchedulingError(_("This session was cancelled; there is no attendance to record."))
    if not expected_people(occurrence).filter(pk=user.pk).exists():
        raise SchedulingError(_("This person is not expected at this session."))
    if status not in AttendanceStatus.values:
        raise SchedulingError(_("Choose present, late, excused or absent."))
    with transaction.atomic():
        row, _created = Attendance.objects.update_or_create(
            occurrence=occurrence,
            user=user,
            defaults={"status": status, "recorded_by": by, "recorded_at": at},
        )
    return row


def record_attendance_bulk(
    occurrence: Occurrence, statuses: Sequence[tuple[User, str]], *, by: User, at: datetime
) -> int:
    """Record several people's attendance at once (the sheet without JavaScript)."""
    with transaction.atomic():
        for user, status in statuses:
            record_attendance(occurrence, user, status=status, by=by, at=at)
    return len(statuses)
