"""Show instants in a named zone: `{% at instant zone %}` renders a <time> element.

A calendar date (a `date`, not a `datetime`: a run's first or last day) is the same day
everywhere: `at` shows it as that date, with no zone conversion and no zone named.
"""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import dateformat, formats
from django.utils.html import format_html
from django.utils.safestring import SafeString

from cohortkit.accounts.timezones import zone_label

register = template.Library()


def viewer_zone(context: template.Context, fallback: str = "UTC") -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.timezone:
        return str(user.timezone)
    return fallback


@register.simple_tag(takes_context=True)
def at(
    context: template.Context,
    instant: datetime | date | None,
    zone: str = "",
    style: str = "datetime",
) -> SafeString | str:
    """The instant in `zone` (default: the viewer's, else UTC), with the zone named.

    style: "datetime" (weekday, date and time), "date" (date only) or "time". A calendar
    date is shown as itself (weekday and date) whatever the zone and style.
    """
    if instant is None:
        return ""
    if not isinstance(instant, datetime):
        return format_html(
            '<time datetime="{}">{}</time>',
            instant.isoformat(),
            formats.date_format(instant, "D ") + formats.date_format(instant, "DATE_FORMAT"),
        )
    zone = zone or viewer_zone(context)
    local = instant.astimezone(ZoneInfo(zone))
    if style == "date":
        text = formats.date_format(local, "DATE_FORMAT")
    elif style == "time":
        text = formats.time_format(local, "TIME_FORMAT")
    else:
        # One pass over one format: the weekday, then the language's date and time.
        text = dateformat.format(local, "D " + formats.get_format("DATETIME_FORMAT"))
    return format_html(
        '<time datetime="{}">{} <span class="zone">{}</span></time>',
        instant.astimezone(UTC).isoformat(),
        text,
        zone_label(zone, instant),
    )


@register.simple_tag(takes_context=True)
def zone_for(context: template.Context, fallback: str = "UTC") -> str:
    """The zone a page should show times in: the viewer's, or `fallback` for anonymous."""
    return viewer_zone(context, fallback)


@register.filter
def is_past(value: datetime | date | None, now: datetime) -> bool:
    """Whether an instant is before `now`, or a calendar date's day has begun somewhere
    (the date is not after today in UTC): for marking timeline entries as past."""
    if value is None:
        return False
    if isinstance(value, datetime):
        return value < now
    return value <= now.astimezone(UTC).date()
