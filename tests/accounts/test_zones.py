from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template

from cohortkit.accounts.forms import TimezoneField
from cohortkit.accounts.timezones import validate_timezone, zone_label


@pytest.mark.parametrize(
    ("zone", "at", "label"),
    [
        ("Asia/Kolkata", datetime(2021, 3, 1, tzinfo=UTC), "Asia/Kolkata (UTC+05:30)"),
        ("Asia/Kathmandu", datetime(2021, 3, 1, tzinfo=UTC), "Asia/Kathmandu (UTC+05:45)"),
        ("America/St_Johns", datetime(2021, 3, 1, tzinfo=UTC), "America/St_Johns (UTC-03:30)"),
        # New York before and after the US change of 2021-03-14.
        ("America/New_York", datetime(2021, 3, 13, tzinfo=UTC), "America/New_York (UTC-05:00)"),
        ("America/New_York", datetime(2021, 3, 15, tzinfo=UTC), "America/New_York (UTC-04:00)"),
        # Southern hemisphere: Sydney leaves summer time on 2021-04-04.
        ("Australia/Sydney", datetime(2021, 4, 3, tzinfo=UTC), "Australia/Sydney (UTC+11:00)"),
        ("Australia/Sydney", datetime(2021, 4, 5, tzinfo=UTC), "Australia/Sydney (UTC+10:00)"),
    ],
)
def test_zone_label_names_the_zone_and_the_offset_in_force(
    zone: str, at: datetime, label: str
) -> None:
    assert zone_label(zone, at) == label


@pytest.mark.parametrize("zone", ["", "Mars/Base", "../../etc/passwd", "Europe/Paris\n", "utc "])
def test_unknown_zones_are_refused(zone: str) -> None:
    with pytest.raises(ValidationError):
        validate_timezone(zone)


def test_at_tag_shows_local_day_when_it_differs_from_utc() -> None:
    template = Template("{% load zones %}{% at instant zone %}")
    # 2021-03-28 20:00 UTC is already 29 March in Auckland (UTC+13:00).
    html = template.render(
        Context({"instant": datetime(2021, 3, 28, 20, tzinfo=UTC), "zone": "Pacific/Auckland"})
    )
    assert 'datetime="2021-03-28T20:00:00+00:00"' in html
    assert "March 29, 2021" in html or "29" in html
    assert "Pacific/Auckland (UTC+13:00)" in html


@pytest.mark.parametrize(
    ("reported", "stored"),
    [
        ("Asia/Calcutta", "Asia/Kolkata"),
        ("Europe/Kiev", "Europe/Kyiv"),
        (" Asia/Kathmandu ", "Asia/Kathmandu"),
    ],
)
def test_legacy_zone_names_from_browsers_are_stored_under_current_names(
    reported: str, stored: str
) -> None:

    assert TimezoneField().clean(reported) == stored
