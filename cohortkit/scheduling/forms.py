from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cohortkit.accounts.forms import TimezoneField
from cohortkit.accounts.models import User
from cohortkit.accounts.timezones import zone_names
from cohortkit.scheduling.availability import (
    SLOTS_PER_WEEK,
    Availability,
    AvailabilityError,
    parse_availability,
)
from cohortkit.scheduling.models import AttendanceStatus, SessionKind
from cohortkit.scheduling.services import parse_fixed_times


class AvailabilityForm(forms.Form):
    """The week grid (672 checkboxes named `slot`) or, instead, typed ranges."""

    slot = forms.TypedMultipleChoiceField(
        label=_("Available times"),
        choices=[(index, index) for index in range(SLOTS_PER_WEEK)],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ranges = forms.CharField(
        label=_("Or type your times"),
        required=False,
        max_length=2000,
        help_text=_(
            "Optional; replaces the grid. For example “Mon-Fri 18:00-21:30; Sat 09:00-12:00”, "
            "in your local time, on 15-minute steps."
        ),
    )
    timezone = TimezoneField(label=_("Your time zone"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone_names = zone_names()

    def clean_ranges(self) -> str:
        text: str = self.cleaned_data["ranges"].strip()
        if text:
            try:
                parse_availability(text)
            except AvailabilityError as error:
                raise ValidationError(
                    _("%(problem)s"), code="bad_ranges", params={"problem": str(error)}
                ) from error
        return text

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        if data.get("ranges"):
            data["availability"] = parse_availability(data["ranges"])
        elif data.get("slot"):
            data["availability"] = Availability.from_slots(data["slot"])
        else:
            raise ValidationError(
                _("Mark at least one time in the grid when you can attend, or type your times."),
                code="empty",
            )
        return data


class PlanForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Sessions to plan"),
        choices=[
            (SessionKind.WEEKLY, _("Weekly live sessions")),
            (SessionKind.OFFICE_HOURS, _("Office hours")),
        ],
        initial=SessionKind.WEEKLY,
    )
    sessions = forms.IntegerField(
        label=_("Number of weekly times (K)"),
        min_value=1,
        max_value=6,
        initial=1,
        help_text=_("1 for one weekly session; 2 or 3 to repeat it for more time zones."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"), min_value=15, max_value=480, initial=120
    )
    anchor = TimezoneField(
        label=_("Anchor time zone"),
        initial="UTC",
        help_text=_("The series keep their wall time in this zone; UTC unless you choose another."),
    )
    fixed_times = forms.CharField(
        label=_("Or set the times by hand"),
        required=False,
        max_length=200,
        help_text=_(
            "Optional, for example “Mon 14:00; Thu 18:30” in the anchor zone: shows their "
            "coverage instead of choosing."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone_names = zone_names()
        # The browser's zone is no better a default for the anchor than UTC.
        self.fields["anchor"].widget.attrs.pop("data-browser-timezone", None)

    def clean_fixed_times(self) -> str:
        text: str = self.cleaned_data["fixed_times"].strip()
        if text:
            try:
                times = parse_fixed_times(text)
            except ValueError as error:
                raise ValidationError(
                    _("%(problem)s. Write times like “Mon 14:00; Thu 18:30” on 15-minute steps."),
                    code="bad_times",
                    params={"problem": str(error)},
                ) from error
            text = "; ".join(t.label for t in times)
        return text


class MoveForm(forms.Form):
    starts_at = forms.CharField(
        label=_("New start (date and time)"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "datetime-local"}),
    )
    timezone = TimezoneField(label=_("In the time zone"))
    fold = forms.TypedChoiceField(
        label=_("If that time occurs twice (the clocks go back)"),
        choices=[
            ("", _("(it does not)")),
            (0, _("the first time, before the clocks go back")),
            (1, _("the second time, after the clocks go back")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )
    note = forms.CharField(label=_("Note for participants"), required=False, max_length=300)

    def __init__(self, *args: Any, clash: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone_names = zone_names()
        if clash:
            # Offered once the page has named the clashing meetings (office hours only).
            self.fields["despite_clash"] = forms.BooleanField(
                label=_("Move anyway, although it clashes with the meetings named above"),
                required=False,
            )

    def clean_starts_at(self) -> datetime:
        text = self.cleaned_data["starts_at"].strip().replace(" ", "T")
        try:
            return datetime.strptime(text, "%Y-%m-%dT%H:%M")  # noqa: DTZ007 - a wall time, zone below
        except ValueError as error:
            raise ValidationError(
                _("Write the new start as a date and time, such as 2021-03-15 14:00."),
                code="bad_datetime",
            ) from error

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        wall: datetime = data["starts_at"]
        zone = ZoneInfo(data["timezone"])
        instant = wall.replace(tzinfo=zone)
        round_trip = instant.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        if round_trip != wall:
            raise ValidationError(
                _("%(time)s does not exist in %(zone)s (the clocks skip it). Choose another time."),
                code="gap",
                params={"time": wall.strftime("%Y-%m-%d %H:%M"), "zone": data["timezone"]},
            )
        earlier, later = instant.replace(fold=0), instant.replace(fold=1)
        if earlier.utcoffset() != later.utcoffset():
            if data.get("fold") is None:
                self.add_error(
                    "fold",
                    ValidationError(
                        _(
                            "%(time)s occurs twice in %(zone)s (the clocks go back): first at "
                            "UTC%(first)s, then at UTC%(second)s. Say which one is meant."
                        ),
                        code="ambiguous",
                        params={
                            "time": wall.strftime("%Y-%m-%d %H:%M"),
                            "zone": data["timezone"],
                            "first": earlier.strftime("%z")[:3] + ":" + earlier.strftime("%z")[3:],
                            "second": later.strftime("%z")[:3] + ":" + later.strftime("%z")[3:],
                        },
                    ),
                )
                return data
            instant = later if data["fold"] == 1 else earlier
        data["instant"] = instant.astimezone(UTC)
        return data


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note for participants"), required=False, max_length=300)


class RecordingForm(forms.Form):
    recording_url = forms.URLField(label=_("Recording link"), required=False, assume_scheme="https")


class SessionDetailsForm(forms.Form):
    video_url = forms.URLField(label=_("Video-call link"), required=False, assume_scheme="https")
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea, max_length=5000
    )
    facilitator = forms.ModelChoiceField(
        label=_("Facilitator"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, staff: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["facilitator"].queryset = staff  # type: ignore[attr-defined]


class AttendanceRowForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Attendance"), choices=AttendanceStatus.choices, widget=forms.RadioSelect
    )
