import io

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cohortkit.scheduling.availability import (
    SLOTS_PER_WEEK,
    Availability,
    AvailabilityError,
    Participant,
    ParticipantCsvError,
    UnknownTimezoneError,
    get_zone,
    parse_availability,
    read_participants_csv,
)


def slots(day: int, start: str, end: str) -> set[int]:
    def slot(clock: str) -> int:
        hours, minutes = clock.split(":")
        return (int(hours) * 60 + int(minutes)) // 15

    return {day * 96 + s for s in range(slot(start), slot(end))}


def test_parse_single_day_range():
    assert parse_availability("Tue 09:00-10:30") == Availability.from_slots(
        slots(1, "09:00", "10:30")
    )


def test_parse_span_daily_overlap_and_midnight_end():
    text = "Mon-Wed 18:00-24:00; daily 23:00-24:00; sun 00:00-00:15"
    expected = set().union(
        *(slots(day, "18:00", "24:00") for day in range(3)),
        *(slots(day, "23:00", "24:00") for day in range(7)),
        slots(6, "00:00", "00:15"),
    )
    assert parse_availability(text) == Availability.from_slots(expected)


def test_parse_wrapping_span_covers_weekend_and_monday():
    assert parse_availability("Sat-Mon 10:00-11:00") == Availability.from_slots(
        slots(5, "10:00", "11:00") | slots(6, "10:00", "11:00") | slots(0, "10:00", "11:00")
    )


@pytest.mark.parametrize("text", ["", "   ", ";", " ; "])
def test_empty_value_means_daily_eight_to_ten(text):
    assert parse_availability(text) == parse_availability("daily 08:00-22:00")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mon 09:10-10:00", "not on the 15-minute grid"),
        ("Mon 09:00-10:05", "not on the 15-minute grid"),
        ("Mon 10:00-09:00", "start must be before the end"),
        ("Mon 10:00-10:00", "start must be before the end"),
        ("Mon 24:00-24:00", "not a valid time"),
        ("Mon 09:00-24:15", "not a valid time"),
        ("Mon 09:60-10:00", "not a valid time"),
        ("Funday 09:00-10:00", "unknown day 'funday'"),
        ("Mon-Funday 09:00-10:00", "unknown day"),
        ("Mon 09:00", "is not a range"),
        ("09:00-10:00", "is not a range"),
        ("Mon 09:00-10:00, Tue 09:00-10:00", "is not a range"),
    ],
)
def test_malformed_ranges_raise_a_clear_value_error(text, message):
    with pytest.raises(AvailabilityError, match=message):
        parse_availability(text)
    assert issubclass(AvailabilityError, ValueError)


def test_canonical_text_round_trips():
    availability = parse_availability("Mon-Fri 18:00-21:30; Sat 00:00-24:00; Sun 07:45-08:00")
    assert availability.to_text().startswith("Mon 18:00-21:30; Tue 18:00-21:30")
    assert parse_availability(availability.to_text()) == availability


@given(st.lists(st.booleans(), min_size=SLOTS_PER_WEEK, max_size=SLOTS_PER_WEEK))
def test_array_and_text_forms_round_trip(bits):
    availability = Availability.from_array(bits)
    assert availability.to_array().tolist() == bits
    if any(bits):
        assert parse_availability(availability.to_text()) == availability


def test_slot_membership_is_local_weekly_slot():
    availability = parse_availability("Wed 13:00-13:30")
    assert 2 * 96 + 52 in availability
    assert 2 * 96 + 54 not in availability
    assert np.flatnonzero(availability.to_array()).tolist() == [2 * 96 + 52, 2 * 96 + 53]


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "localtime", " UTC", "../etc/passwd"])
def test_unknown_zone_raises(name):
    with pytest.raises(UnknownTimezoneError, match="unknown time zone"):
        get_zone(name)


def test_read_participants_csv_reads_rows_and_defaults():
    text = (
        "id,name,timezone,availability\n"
        'a,Ann,Asia/Kathmandu,"Mon-Fri 18:00-21:00; Sat 09:00-12:00"\n'
        "b,Bo,Pacific/Chatham,\n"
    )
    assert read_participants_csv(io.StringIO(text)) == [
        Participant(
            "a", "Asia/Kathmandu", parse_availability("Mon-Fri 18:00-21:00;Sat 09:00-12:00")
        ),
        Participant("b", "Pacific/Chatham", parse_availability("daily 08:00-22:00")),
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("c,Mars/Base,Mon 09:00-10:00", "line 3 \\(id 'c'\\): unknown time zone 'Mars/Base'"),
        ("c,UTC,Mon 09:05-10:00", "line 3 \\(id 'c'\\): .*15-minute grid"),
        ("c,UTC,Mon 11:00-10:00", "line 3 \\(id 'c'\\): .*before the end"),
        ("a,UTC,Mon 09:00-10:00", "line 3 \\(id 'a'\\): the id appears twice"),
        (",UTC,Mon 09:00-10:00", "line 3: the id is empty"),
    ],
)
def test_read_participants_csv_names_the_bad_line(row, message):
    text = f"id,timezone,availability\na,UTC,daily 09:00-10:00\n{row}\n"
    with pytest.raises(ParticipantCsvError, match=message):
        read_participants_csv(io.StringIO(text))


def test_read_participants_csv_requires_the_columns():
    with pytest.raises(
        ParticipantCsvError, match="line 1: the header lacks the column\\(s\\) availability"
    ):
        read_participants_csv(io.StringIO("id,timezone\na,UTC\n"))
