"""IANA time zones: validation, choices and the human label shown next to every time."""

from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@cache
def zone_names() -> tuple[str, ...]:
    """Canonical-looking IANA names, sorted; legacy aliases such as 'US/Eastern' left out."""
    names = {
        name
        for name in available_timezones()
        if "/" in name
        and not name.startswith(("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Mexico/"))
        and name != "localtime"
    }
    return tuple(sorted(names | {"UTC"}))


# Old names browsers still report (Chromium says Asia/Calcutta) mapped to current ones.
LEGACY_ZONES = {
    "Asia/Calcutta": "Asia/Kolkata",
    "Asia/Katmandu": "Asia/Kathmandu",
    "Asia/Saigon": "Asia/Ho_Chi_Minh",
    "Asia/Rangoon": "Asia/Yangon",
    "Asia/Ulan_Bator": "Asia/Ulaanbaatar",
    "Asia/Dacca": "Asia/Dhaka",
    "Europe/Kiev": "Europe/Kyiv",
    "Atlantic/Faeroe": "Atlantic/Faroe",
    "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
    "America/Godthab": "America/Nuuk",
    "Pacific/Enderbury": "Pacific/Kanton",
    "Africa/Asmera": "Africa/Asmara",
    "Etc/UTC": "UTC",
    "Etc/GMT": "UTC",
    "GMT": "UTC",
}


def canonical_zone(value: str) -> str:
    """The current IANA name for a zone name, mapping the old aliases browsers report."""
    value = value.strip()
    return LEGACY_ZONES.get(value, value)


def validate_timezone(value: str) -> None:
    """Raise ValidationError unless value names a zone that zoneinfo knows."""
    if not value or (value not in available_timezones() and value != "UTC"):
        raise ValidationError(
            _("“%(value)s” is not a known IANA time zone, such as Europe/Paris or Asia/Kolkata."),
            code="invalid_timezone",
            params={"value": value},
        )
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            _("“%(value)s” is not a known IANA time zone."),
            code="invalid_timezone",
            params={"value": value},
        ) from error


def zone_label(zone: str, at: datetime) -> str:
    """'Asia/Kolkata (UTC+05:30)': the name and the offset in force at the instant."""
    offset = at.astimezone(ZoneInfo(zone)).utcoffset()
    assert offset is not None  # noqa: S101 - a ZoneInfo always has an offset
    total = int(offset.total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total), 60)
    return f"{zone} (UTC{sign}{hours:02d}:{minutes:02d})"
