"""Show instants in a named zone: `{% at instant zone %}` renders a <time> element."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import formats
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
    context: template.Context, instant: datetime | None, zone: str = "", style: str = "datetime"
) -> SafeString | str:
    """The instant in `zone` (default: the viewer's, else UTC), with the zone named.

    style: "datetime" (weekday, date and time), "date" (date only) or "time".
    """
    if instant is None:
        return ""
    zone = zone or viewer_zone(context)
    local = instant.astimezone(ZoneInfo(zone))
    if style == "date":
        text = formats.date_format(local, "DATE_FORMAT")
    elif style == "time":
        text = formats.time_format(local, "TIME_FORMAT")
    else:
        text = formats.date_format(local, "D ") + formats.date_format(local, "DATETIME_FORMAT")
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
