import secrets
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohortkit.accounts.timezones import validate_timezone


class Course(models.Model):
    """What is taught: the same course can run many times as cohorts (runs)."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = models.CharField(_("summary"), max_length=400)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    audience = models.TextField(_("target audience"))
    language = models.CharField(
        _("language of delivery"),
        max_length=16,
        default="en",
        help_text=_("Also the source language of the course's translatable text."),
    )
    weekly_hours = models.DecimalField(
        _("weekly workload in hours"), max_digits=4, decimal_places=1
    )
    workload_note = models.CharField(_("workload note"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact address"))
    licence = models.CharField(_("licence"), max_length=100, default="CC BY-SA 4.0")
    is_free = models.BooleanField(_("free of charge"), default=True)
    gives_certificate = models.BooleanField(_("certificate on completion"), default=True)
    is_published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("courses:detail", kwargs={"slug": self.slug})


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    ACCEPTING = "accepting", _("Accepting applications")
    SELECTING = "selecting", _("Selecting participants")
    IN_PROGRESS = "in-progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    SELF_PACED = "self-paced", _("Open for self-guided study")


class RunQuerySet(models.QuerySet["Run"]):
    def published(self) -> "RunQuerySet":
        return self.filter(course__is_published=True)

    def accepting_at(self, at: datetime) -> "RunQuerySet":
        return self.filter(applications_open_at__lte=at, applications_close_at__gt=at)


class Run(models.Model):
    """One cohort of a course, with its own dates, seats and people."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="runs")
    title = models.CharField(_("title"), max_length=200, help_text=_("For example “2021”."))
    slug = models.SlugField(_("slug"), max_length=100)
    timezone = models.CharField(
        _("reference time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text=_("Deadlines are read in this zone."),
    )
    capacity = models.PositiveIntegerField(_("seats"))
    applications_open_at = models.DateTimeField(_("applications open"))
    applications_close_at = models.DateTimeField(_("applications close"))
    notification_at = models.DateTimeField(_("applicants notified"))
    onboarding_at = models.DateTimeField(_("onboarding call"), null=True, blank=True)
    starts_on = models.DateField(_("course begins"))
    weeks = models.PositiveSmallIntegerField(_("number of weeks"), default=8)
    is_self_paced = models.BooleanField(
        _("open for self-guided study"),
        default=False,
        help_text=_("After the run: anyone may enrol; no sessions, no seats."),
    )

    objects = RunQuerySet.as_manager()

    class Meta:
        ordering = ["course", "-starts_on"]
        verbose_name = _("run")
        verbose_name_plural = _("runs")
        constraints = [
            models.UniqueConstraint(fields=["course", "slug"], name="courses_run_slug_unique"),
            models.CheckConstraint(
                condition=Q(applications_close_at__gt=models.F("applications_open_at")),
                name="courses_run_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(notification_at__gte=models.F("applications_close_at")),
                name="courses_run_notified_after_close",
            ),
            models.CheckConstraint(condition=Q(weeks__gte=1), name="courses_run_has_weeks"),
        ]

    def __str__(self) -> str:
        return f"{self.course.title} ({self.title})"

    def get_absolute_url(self) -> str:
        return reverse("courses:run", kwargs={"slug": self.course.slug, "run": self.slug})

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def ends_on(self) -> date:
        """The run's last day, a date (not an instant): the last day of its last week, so
        8 weeks from Monday 1 February 2021 end on Sunday 28 March. The one definition: the
        certificate page, its PDF and the verification page all show this date as a date,
        the same in every zone (`ends_at`, the instant after it, is for comparisons)."""
        return self.starts_on + timedelta(days=7 * self.weeks - 1)

    @property
    def starts_at(self) -> datetime:
        return datetime.combine(self.starts_on, datetime.min.time(), tzinfo=self.zone)

    @property
    def ends_at(self) -> datetime:
        """The instant after the last day of the run, in the run's zone."""
        return datetime.combine(
            self.ends_on + timedelta(days=1), datetime.min.time(), tzinfo=self.zone
        )

    def week_starts_on(self, week: int) -> date:
        """The first day of week `week` (0-based)."""
        return self.starts_on + timedelta(days=7 * week)

    def phase_at(self, at: datetime) -> Phase:
        if at < self.applications_open_at:
            return Phase.UPCOMING
        if at < self.applications_close_at:
            return Phase.ACCEPTING
        if at < self.starts_at:
            return Phase.SELECTING
        if at < self.ends_at:
            return Phase.IN_PROGRESS
        return Phase.SELF_PACED if self.is_self_paced else Phase.COMPLETED

    @property
    def phase(self) -> Phase:
        return self.phase_at(timezone.now())

    def changes_after(self, at: datetime) -> datetime | None:
        """The next instant after `at` at which what the public pages say about the run
        changes (its phase, a milestone passing); None when nothing more changes."""
        instants = [
            self.applications_open_at,
            self.applications_close_at,
            self.notification_at,
            self.onboarding_at,
            datetime.combine(self.starts_on, datetime.min.time(), tzinfo=UTC),
            self.starts_at,
            self.ends_at,
        ]
        return min((i for i in instants if i is not None and i > at), default=None)

    def accepts_applications_at(self, at: datetime) -> bool:
        return self.applications_open_at <= at < self.applications_close_at

    def milestones(self) -> list[tuple[str, datetime | date]]:
        """The run's timeline as (label, when) pairs, in order.

        `when` is an instant (a datetime: the window, the notification, the onboarding call)
        or a calendar date (the first day of the run: the same day in every zone, shown
        without conversion, so Mexico City does not read Sunday for a Monday start).
        """
        items: list[tuple[str, datetime | date]] = [
            (str(_("Applications open")), self.applications_open_at),
            (str(_("Applications close")), self.applications_close_at),
            (str(_("Successful applicants notified")), self.notification_at),
        ]
        if self.onboarding_at:
            items.append((str(_("Onboarding call")), self.onboarding_at))
        items.append((str(_("Course begins")), self.starts_on))
        return items


class Module(models.Model):
    """A week's unit of the outline; released on its week relative to the run's start."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    release_week = models.PositiveSmallIntegerField(
        _("release week"), default=0, help_text=_("0 is the first week of the run.")
    )

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="courses_module_position"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"

    def released_on(self) -> date:
        return self.run.week_starts_on(self.release_week)


class Topic(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="topics")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("content"), blank=True, help_text=_("Markdown."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["module", "position"]
        constraints = [
            models.UniqueConstraint(fields=["module", "position"], name="courses_topic_position"),
        ]

    def __str__(self) -> str:
        return self.title


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    FACILITATOR = "facilitator", _("Facilitator")
    REVIEWER = "reviewer", _("Reviewer")
    PARTICIPANT = "participant", _("Participant")
    TRANSLATOR = "translator", _("Translator")


class RunRoleQuerySet(models.QuerySet["RunRole"]):
    def staff(self) -> "RunRoleQuerySet":
        return self.filter(role__in=[Role.COORDINATOR, Role.FACILITATOR])


class RunRole(models.Model):
    """A person's role in one run; a person may hold several."""

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="run_roles"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RunRoleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "user", "role"], name="courses_runrole_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.run}"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A role in a run offered to an e-mail address that has no account yet.

    The mailed link (`courses:invitation`) grants the role to whoever opens it signed in
    with that verified address; it works once.
    """

    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("invited at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["run", "email", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "email", "role"],
                condition=Q(accepted_at__isnull=True),
                name="courses_invitation_open_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} — {self.role} — {self.run}"
