"""Live sessions: availability, plans, session series and their occurrences, calendars,
attendance.

Instants are stored in UTC. A series is anchored in a named zone: its weekly wall time is
read in that zone on every real date of the run, so participants elsewhere see their local
time move when either side changes its clocks.
"""

import secrets
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from cohortkit.accounts.timezones import validate_timezone
from cohortkit.scheduling.availability import (
    SLOTS_PER_WEEK,
    WEEKDAYS,
    Availability,
    parse_availability,
)
from cohortkit.scheduling.plan_results import PlanResult, read_plan_result

HEX_DIGITS = SLOTS_PER_WEEK // 4


def availability_to_hex(availability: Availability) -> str:
    return f"{availability.mask:0{HEX_DIGITS}x}"


def availability_from_hex(text: str) -> Availability:
    return Availability(int(text, 16)) if text else parse_availability("")


class WeeklyAvailability(models.Model):
    """A person's weekly availability for one run: 672 local 15-minute slots and their zone.

    `slots` is the 672-bit mask of :class:`~cohortkit.scheduling.availability.Availability`
    as 168 hexadecimal digits (slot 0, Monday 00:00 local, is the lowest bit).
    """

    run = models.ForeignKey("courses.Run", on_delete=models.CASCADE, related_name="availability")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability"
    )
    timezone = models.CharField(_("time zone"), max_length=64, validators=[validate_timezone])
    slots = models.CharField(_("available slots"), max_length=HEX_DIGITS)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("weekly availability")
        verbose_name_plural = _("weekly availabilities")
        constraints = [
            models.UniqueConstraint(fields=["run", "user"], name="scheduling_availability_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.run}"

    @property
    def availability(self) -> Availability:
        return availability_from_hex(self.slots)


class PlanStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the worker")
    RUNNING = "running", _("Planning")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class SessionKind(models.TextChoices):
    ONBOARDING = "onboarding", _("Onboarding call")
    WEEKLY = "weekly", _("Weekly live session")
    OFFICE_HOURS = "office-hours", _("Office hours")


class SessionPlan(models.Model):
    """One run of the planner for a run's participants, and its result (JSON).

    `fixed_times` ("Mon 14:00; Thu 18:30") evaluates times set by hand instead of choosing.
    The result holds the chosen times, coverage (7 x 96), assignment, who is left out and
    why, and each participant's offset shifts, keyed by user id (as strings).
    """

    run = models.ForeignKey("courses.Run", on_delete=models.CASCADE, related_name="session_plans")
    kind = models.CharField(
        _("sessions to plan"),
        max_length=16,
        choices=[c for c in SessionKind.choices if c[0] != SessionKind.ONBOARDING],
        default=SessionKind.WEEKLY,
    )
    sessions = models.PositiveSmallIntegerField(_("number of weekly times"), default=1)
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), default=120)
    anchor = models.CharField(
        _("anchor time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    fixed_times = models.CharField(_("times set by hand"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.PENDING
    )
    stage = models.CharField(_("stage"), max_length=32, blank=True)
    progress = models.FloatField(_("progress"), default=0)
    error = models.TextField(_("error"), blank=True)
    result = models.JSONField(_("result"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("session plan")
        verbose_name_plural = _("session plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(sessions__gte=1) & Q(sessions__lte=12), name="scheduling_plan_k_range"
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15) & Q(duration_minutes__lte=480),
                name="scheduling_plan_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.run} — {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in {PlanStatus.DONE, PlanStatus.FAILED}

    @cached_property
    def outcome(self) -> PlanResult | None:
        """The stored result, typed (`plan_results.read_plan_result`); None until computed."""
        return read_plan_result(self.result)


class Session(models.Model):
    """A series: the onboarding call, one weekly group's live session, or office hours.

    Weekly and office-hours series repeat on `weekday` at `start_time` in the `anchor`
    zone for the run's weeks; their occurrences hold the UTC instants. Weekly sessions are
    for their `members` (one group of the plan); the onboarding call and office hours are
    for everyone in the run.
    """

    run = models.ForeignKey("courses.Run", on_delete=models.CASCADE, related_name="live_sessions")
    kind = models.CharField(_("kind"), max_length=16, choices=SessionKind.choices)
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Empty: named by its kind and number, in each reader's language."),
    )
    group = models.PositiveSmallIntegerField(
        _("number"),
        null=True,
        blank=True,
        help_text=_("The weekly group, or which office hours: 1, 2, ..."),
    )
    anchor = models.CharField(
        _("anchor time zone"), max_length=64, default="UTC", validators=[validate_timezone]
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), null=True, blank=True, help_text=_("0 is Monday.")
    )
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration in minutes"), default=120)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_sessions",
        verbose_name=_("facilitator"),
    )
    video_url = models.URLField(_("video-call link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    reminder_minutes = models.PositiveIntegerField(
        _("reminder, minutes before"), default=24 * 60, help_text=_("0 sends no reminder.")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="live_session_groups"
    )
    plan = models.ForeignKey(
        SessionPlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="series"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["run", "kind", "group", "pk"]
        verbose_name = _("session series")
        verbose_name_plural = _("session series")
        constraints = [
            models.CheckConstraint(
                condition=Q(weekday__isnull=True) | Q(weekday__lte=6),
                name="scheduling_session_weekday",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.default_title()

    def default_title(self) -> str:
        """What a series without a title of its own is called, in the active language.

        Series made from a plan or for the onboarding call store no title: their name is
        interface text, said in each reader's language, never in the language of whoever
        accepted the plan. A title a coordinator wrote is course content (a translation
        unit)."""
        if self.kind == SessionKind.WEEKLY and self.group:
            return gettext("Weekly live session, group %(group)s") % {"group": self.group}
        if self.kind == SessionKind.OFFICE_HOURS and self.group:
            return gettext("Office hours %(number)s") % {"number": self.group}
        return str(SessionKind(self.kind).label)

    @property
    def anchor_label(self) -> str:
        """'Mon 14:00' in the anchor zone (empty for a one-off)."""
        if self.weekday is None or self.start_time is None:
            return ""
        return f"{WEEKDAYS[self.weekday]} {self.start_time:%H:%M}"

    def week_instant(self, starts_on: date, week: int) -> datetime:
        """The UTC start of week `week`'s occurrence (an ambiguous wall time is the earlier)."""
        if self.weekday is None or self.start_time is None:
            raise ValueError("a one-off session has no weekly time")
        day = starts_on + timedelta(days=7 * week + (self.weekday - starts_on.weekday()) % 7)
        wall = datetime.combine(day, self.start_time, tzinfo=ZoneInfo(self.anchor))
        return wall.astimezone(UTC)


def invited(user: object, *, through: str = "") -> Q:
    """Who is invited to a meeting, as a filter on sessions (`through="session__"` from
    occurrences): a weekly session's own group; everyone in the run for the onboarding call
    and office hours. The one definition: `queries.sessions_for_person`, `is_invited`, the
    dashboard and the personal calendars all use it (the schedule reads the same rule from
    the run's kept groups, `queries.RunMeetings.invites`) (the people told about a change are
    `queries.expected_people`, who are also these)."""
    return ~Q(**{f"{through}kind": SessionKind.WEEKLY}) | Q(**{f"{through}members": user})


class OccurrenceQuerySet(models.QuerySet["Occurrence"]):
    def active(self) -> "OccurrenceQuerySet":
        return self.filter(is_cancelled=False)

    def for_person(self, run: object, user: object) -> "OccurrenceQuerySet":
        """Occurrences of the run that the person is invited to (their group, or everyone)."""
        return self.filter(session__run=run).filter(invited(user, through="session__"))


class Occurrence(models.Model):
    """One meeting of a series, in UTC; cancelled or moved weeks are exceptions."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="occurrences")
    week = models.SmallIntegerField(_("week"), help_text=_("0 is the first week of the run."))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    original_starts_at = models.DateTimeField(_("planned start"))
    is_cancelled = models.BooleanField(_("cancelled"), default=False)
    sequence = models.PositiveIntegerField(
        _("revision"), default=0, help_text=_("iCalendar SEQUENCE: raised on every change.")
    )
    recording_url = models.URLField(_("recording link"), blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OccurrenceQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["session", "week"], name="scheduling_occurrence_week"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="scheduling_occurrence_order"
            ),
        ]
        indexes = [models.Index(fields=["starts_at"], name="scheduling_occurrence_start")]

    def __str__(self) -> str:
        return f"{self.session} — {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def is_moved(self) -> bool:
        return self.starts_at != self.original_starts_at


class CalendarToken(models.Model):
    """The secret in a person's calendar feed URL for one run; revoking makes a new one."""

    run = models.ForeignKey("courses.Run", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "user"],
                condition=Q(revoked_at__isnull=True),
                name="scheduling_calendar_token_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.run}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", pgettext_lazy("attendance", "Present")
    LATE = "late", pgettext_lazy("attendance", "Late")
    EXCUSED = "excused", pgettext_lazy("attendance", "Excused")
    ABSENT = "absent", pgettext_lazy("attendance", "Absent")


class Attendance(models.Model):
    occurrence = models.ForeignKey(Occurrence, on_delete=models.CASCADE, related_name="attendance")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("attendance"), max_length=16, choices=AttendanceStatus.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["occurrence", "user"], name="scheduling_attendance_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.occurrence} — {self.status}"
