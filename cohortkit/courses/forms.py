"""The course team's forms: a run's dates and seats, roles, modules and topics.

A run's instants are typed as wall times in the run's reference zone (which the same form
names), so a coordinator in Nairobi sets a Lima run's deadlines as Lima reads them. Every
rule about their order is checked here with a message naming the dates concerned.
"""

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from cohortkit.accounts.forms import TimezoneField
from cohortkit.accounts.timezones import zone_names
from cohortkit.courses.models import Course, Role, Run

WALL_FORMAT = "%Y-%m-%dT%H:%M"
RESERVED_SLUGS = {"runs", "new", "team"}


class WallTimeField(forms.CharField):
    """A date and time as the `datetime-local` input sends it; the zone is another field."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "datetime-local"}))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> datetime | None:  # type: ignore[override]
        text = (super().clean(value) or "").strip().replace(" ", "T")
        if not text:
            return None
        try:
            return datetime.strptime(text[:16], WALL_FORMAT)  # noqa: DTZ007 - a wall time; the zone is the form's
        except ValueError as error:
            raise ValidationError(
                _("Write a date and time, such as 2021-03-15 14:00."), code="bad_datetime"
            ) from error


def local_value(instant: datetime | None, zone: str) -> str:
    """An instant as the `datetime-local` text of its wall time in `zone`."""
    if instant is None:
        return ""
    return instant.astimezone(ZoneInfo(zone)).strftime(WALL_FORMAT)


class RunForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("For example “2022”."))
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=100,
        help_text=_("Letters, digits and hyphens, for example 2022."),
    )
    timezone = TimezoneField(
        label=_("Reference time zone"),
        help_text=_(
            "The dates below are read in this zone, and anonymous visitors see times in it. "
            "For example America/Lima or Asia/Kolkata."
        ),
    )
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=100000)
    applications_open_at = WallTimeField(label=_("Applications open"))
    applications_close_at = WallTimeField(label=_("Applications close"))
    notification_at = WallTimeField(label=_("Applicants notified"))
    onboarding_at = WallTimeField(
        label=_("Onboarding call"),
        required=False,
        help_text=_("Becomes a live session of the run, for every participant."),
    )
    starts_on = forms.DateField(
        label=_("Course begins"), widget=forms.DateInput(attrs={"type": "date"})
    )
    weeks = forms.IntegerField(label=_("Number of weeks"), min_value=1, max_value=52)
    copy_from = forms.ModelChoiceField(
        label=_("Copy the set-up of"),
        queryset=Run.objects.none(),
        required=False,
        empty_label=_("Nothing: start empty"),
        help_text=_(
            "Modules and topics, assignments, completion rules, the application form and "
            "its questions, the review rubrics, the peer-review set-up and their translations."
        ),
    )

    def __init__(self, *args: Any, course: Course, run: Run | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.course, self.run = course, run
        self.timezone_names = zone_names()
        if run is None:
            runs = course.runs.order_by("-starts_on", "-pk")
            self.fields["copy_from"].queryset = runs  # type: ignore[attr-defined]
            latest = runs.first()
            if latest is not None and not self.is_bound:
                # The next run usually keeps the last one's zone, seats and length.
                for name, value in [
                    ("copy_from", latest.pk),
                    ("timezone", latest.timezone),
                    ("capacity", latest.capacity),
                    ("weeks", latest.weeks),
                ]:
                    self.initial.setdefault(name, value)
        else:
            del self.fields["copy_from"]

    @classmethod
    def initial_for(cls, run: Run) -> dict[str, Any]:
        zone = run.timezone
        return {
            "title": run.title,
            "slug": run.slug,
            "timezone": zone,
            "capacity": run.capacity,
            "applications_open_at": local_value(run.applications_open_at, zone),
            "applications_close_at": local_value(run.applications_close_at, zone),
            "notification_at": local_value(run.notification_at, zone),
            "onboarding_at": local_value(run.onboarding_at, zone),
            "starts_on": run.starts_on,
            "weeks": run.weeks,
        }

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(
                _("“%(slug)s” is reserved; choose another."), params={"slug": slug}
            )
        taken = self.course.runs.filter(slug=slug)
        if self.run is not None:
            taken = taken.exclude(pk=self.run.pk)
        if taken.exists():
            raise ValidationError(
                _("This course already has a run called “%(slug)s”."), params={"slug": slug}
            )
        return slug

    def _instant(self, name: str, zone: ZoneInfo, zone_name: str) -> datetime | None:
        wall = self.cleaned_data.get(name)
        if wall is None:
            return None
        instant = wall.replace(tzinfo=zone)
        if instant.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != wall:
            self.add_error(
                name,
                ValidationError(
                    _(
                        "%(time)s does not exist in %(zone)s (the clocks skip it). Choose another time."
                    ),
                    code="gap",
                    params={"time": wall.strftime("%Y-%m-%d %H:%M"), "zone": zone_name},
                ),
            )
            return None
        return instant.astimezone(UTC)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        zone_name = data.get("timezone")
        if not zone_name:
            return data
        zone = ZoneInfo(zone_name)
        instants = {
            name: self._instant(name, zone, zone_name)
            for name in (
                "applications_open_at",
                "applications_close_at",
                "notification_at",
                "onboarding_at",
            )
        }
        opens, closes = instants["applications_open_at"], instants["applications_close_at"]
        notified, onboarding = instants["notification_at"], instants["onboarding_at"]
        starts_on: date | None = data.get("starts_on")
        starts_at = (
            datetime.combine(starts_on, datetime.min.time(), tzinfo=zone) if starts_on else None
        )

        def shown(value: datetime | date) -> str:
            if isinstance(value, datetime):
                return formats.date_format(value.astimezone(zone), "DATETIME_FORMAT")
            return formats.date_format(value, "DATE_FORMAT")

        if opens and closes and closes <= opens:
            self.add_error(
                "applications_close_at",
                _("Applications must close after they open (%(opens)s).") % {"opens": shown(opens)},
            )
        if closes and notified and notified < closes:
            self.add_error(
                "notification_at",
                _("Applicants are notified after applications close (%(closes)s).")
                % {"closes": shown(closes)},
            )
        if notified and starts_at and starts_at <= notified:
            self.add_error(
                "starts_on",
                _("The course begins after applicants are notified (%(notified)s): on a later day.")
                % {"notified": shown(notified)},
            )
        if onboarding and notified and onboarding <= notified:
            self.add_error(
                "onboarding_at",
                _("The onboarding call comes after applicants are notified (%(notified)s).")
                % {"notified": shown(notified)},
            )
        if onboarding and starts_at and onboarding >= starts_at:
            self.add_error(
                "onboarding_at",
                _("The onboarding call comes before the course begins (%(starts)s).")
                % {"starts": shown(starts_on)},  # type: ignore[arg-type]
            )
        data.update(instants)
        return data


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role.value, role.label) for role in Role if role != Role.PARTICIPANT],
        help_text=_("Participants join by applying; their seats are offered by selection."),
    )


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    release_week = forms.IntegerField(
        label=_("Release week"),
        min_value=0,
        max_value=52,
        initial=0,
        help_text=_("0 is the first week of the run."),
    )

    def __init__(self, *args: Any, run: Run, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.run = run

    def clean_release_week(self) -> int:
        week: int = self.cleaned_data["release_week"]
        if week >= self.run.weeks:
            raise ValidationError(
                _("The run has %(weeks)s weeks: the release week is 0 to %(last)s."),
                params={"weeks": self.run.weeks, "last": self.run.weeks - 1},
            )
        return week


class TopicForm(forms.Form):
    title = forms.CharField(label=_("New topic's title"), max_length=200)
