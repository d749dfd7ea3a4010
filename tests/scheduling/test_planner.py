"""The planner against a slow, obviously-correct reference (minute by minute with zoneinfo)."""

import itertools
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cohortkit.scheduling.availability import (
    Availability,
    Participant,
    UnknownTimezoneError,
    get_zone,
    parse_availability,
)
from cohortkit.scheduling.planner import (
    OffsetShift,
    Search,
    SessionTime,
    UncoveredReason,
    evaluate_plan,
    plan_sessions,
)

ZONES = [
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Australia/Sydney",
    "America/Santiago",
    "Asia/Kolkata",
    "Australia/Adelaide",
    "Asia/Kathmandu",
    "Australia/Eucla",
    "Pacific/Chatham",
]
# Starts whose first weeks hold DST changes: US and EU spring/autumn, Chile, Australia, Chatham.
STARTS = [
    date(2021, 2, 1),
    date(2021, 3, 8),
    date(2021, 3, 22),
    date(2021, 3, 31),
    date(2021, 4, 1),
    date(2021, 9, 1),
    date(2021, 9, 20),
    date(2021, 9, 30),
    date(2021, 10, 27),
    date(2021, 11, 1),
]
DST_2021 = {"start": date(2021, 2, 1), "weeks": 8}


# ---- the reference ---------------------------------------------------------------------------


def occurrence(start, week, index, anchor):
    """The UTC instant of candidate ``index`` in ``week``, or None in a DST gap."""
    zone = get_zone(anchor)
    weekday, slot = divmod(index, 96)
    day = start + timedelta(days=7 * week + (weekday - start.weekday()) % 7)
    wall = datetime.combine(day, time(slot * 15 // 60, slot * 15 % 60), tzinfo=zone)
    instant = wall.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) != wall.replace(tzinfo=None):
        return None
    return instant


def local_minutes(participant, instant, duration, *, step):
    zone = get_zone(participant.timezone)
    minutes = sorted({*range(0, duration, step), duration - 1})
    for minute in minutes:
        yield (instant + timedelta(minutes=minute)).astimezone(zone)


def reference_attends(participant, index, *, start, weeks, duration, anchor, step=1):
    """(attends every week, touches local night in some week).

    ``step=1`` checks every minute; ``step=15`` checks the 15-minute marks and the last minute,
    which is the same for the zones here (offsets and changes on the quarter hour).
    """
    night = False
    for week in range(weeks):
        instant = occurrence(start, week, index, anchor)
        if instant is None:
            return False, night
        for local in local_minutes(participant, instant, duration, step=step):
            slot = local.weekday() * 96 + (local.hour * 60 + local.minute) // 15
            if slot not in participant.availability:
                return False, night
            night = night or local.hour >= 22 or local.hour < 7
    return True, night


def reference_plan(participants, candidates, k, **run):
    table = {(p.id, c): reference_attends(p, c, **run) for p in participants for c in candidates}

    def outcome(combo):
        assignment, night = {}, 0
        for p in participants:
            usable = [i for i, c in enumerate(combo) if table[p.id, c][0]]
            daytime = [i for i in usable if not table[p.id, combo[i]][1]]
            assignment[p.id] = (daytime or usable or [None])[0]
            night += bool(usable) and not daytime
        covered = sum(slot is not None for slot in assignment.values())
        return covered, night, assignment

    best = None
    for combo in itertools.combinations(sorted(candidates), k):
        covered, night, assignment = outcome(combo)
        key = (-covered, night)  # combinations() yields lexicographic order: keep the first
        if best is None or key < best[0]:
            best = (key, combo, assignment)
    assert best is not None
    (covered, night), combo, assignment = best
    coverage = {c: sum(table[p.id, c][0] for p in participants) for c in candidates}
    return [SessionTime.from_index(c) for c in combo], -covered, night, assignment, coverage


# ---- strategies ------------------------------------------------------------------------------


@st.composite
def availabilities(draw):
    ranges = []
    for _ in range(draw(st.integers(1, 3))):
        days = draw(st.sampled_from(["daily", "Mon-Fri", "Sat-Sun", "Sun-Tue", "Wed", "Sun"]))
        first = draw(st.integers(0, 95))
        last = draw(st.integers(first + 1, min(96, first + 56)))
        ranges.append(
            f"{days} {first // 4:02d}:{first % 4 * 15:02d}-{last // 4:02d}:{last % 4 * 15:02d}"
        )
    return parse_availability("; ".join(ranges))


@st.composite
def cohorts(draw, max_size=4):
    size = draw(st.integers(1, max_size))
    return [
        Participant(f"p{i}", draw(st.sampled_from(ZONES)), draw(availabilities()))
        for i in range(size)
    ]


# ---- property tests --------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    participants=cohorts(),
    start=st.sampled_from(STARTS),
    weeks=st.integers(1, 3),
    duration=st.sampled_from([15, 30, 45, 60, 20, 90]),
    anchor=st.sampled_from(ZONES),
    candidates=st.lists(st.integers(0, 671), min_size=3, max_size=9, unique=True),
    k=st.integers(1, 3),
)
def test_plan_matches_brute_force_on_restricted_candidates(
    participants, start, weeks, duration, anchor, candidates, k
):
    run = {"start": start, "weeks": weeks, "duration": duration, "anchor": anchor}
    times, covered, night, assignment, coverage = reference_plan(participants, candidates, k, **run)

    plan = plan_sessions(
        participants,
        start=start,
        weeks=weeks,
        duration_minutes=duration,
        sessions=k,
        anchor=anchor,
        candidates=[SessionTime.from_index(c) for c in candidates],
    )

    assert (plan.times, plan.covered, plan.night, plan.assignment) == (
        times,
        covered,
        night,
        assignment,
    )
    assert {c: int(plan.coverage.reshape(-1)[c]) for c in candidates} == coverage


@st.composite
def coverage_problems(draw):
    rows = draw(st.integers(0, 10))
    columns = draw(st.integers(4, 12))
    cells = st.lists(st.booleans(), min_size=columns, max_size=columns)
    attendable = np.array(draw(st.lists(cells, min_size=rows, max_size=rows)), dtype=bool)
    attendable = attendable.reshape(rows, columns)
    mask = np.array(draw(st.lists(cells, min_size=rows, max_size=rows)), dtype=bool)
    daytime = attendable & mask.reshape(rows, columns)
    weights = np.array(draw(st.lists(st.integers(1, 40), min_size=rows, max_size=rows)))
    return attendable, daytime, weights.astype(np.int64)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(problem=coverage_problems(), k=st.integers(1, 4))
def test_search_finds_the_lexicographically_first_best_plan(problem, k):
    attendable, daytime, weights = problem
    columns = attendable.shape[1]
    scale = int(weights.sum()) + 1

    def score(combo):
        a = attendable[:, list(combo)].any(axis=1)
        d = daytime[:, list(combo)].any(axis=1)
        return scale * int(weights[a].sum()) + int(weights[d].sum())

    expected = max(itertools.combinations(range(columns), k), key=score)  # first maximum

    search = Search(attendable, daytime, weights, np.arange(columns), scale, None)

    assert search.solve(k) == (score(expected), expected)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    participants=cohorts(max_size=4),
    start=st.sampled_from(STARTS),
    anchor=st.sampled_from(ZONES),
    k=st.integers(1, 2),
)
def test_plan_over_all_672_candidates_matches_brute_force(participants, start, anchor, k):
    run = {"start": start, "weeks": 2, "duration": 60, "anchor": anchor}
    table = [[reference_attends(p, c, step=15, **run) for c in range(672)] for p in participants]
    attend = np.array([[cell[0] for cell in row] for row in table])
    daytime = attend & ~np.array([[cell[1] for cell in row] for row in table])
    if k == 1:
        scores = np.stack([attend.sum(axis=0), daytime.sum(axis=0)])
        best = (int(np.lexsort((-scores[1], -scores[0]))[0]),)
    else:
        covered = (attend[:, :, None] | attend[:, None, :]).sum(axis=0)
        day = (daytime[:, :, None] | daytime[:, None, :]).sum(axis=0)
        key = covered * 100 + day
        key[np.tril_indices(672)] = -1
        best = divmod(int(np.argmax(key)), 672)
    chosen = attend[:, list(best)]
    chosen_day = daytime[:, list(best)]
    expected_assignment = {
        p.id: (
            int(np.argmax(chosen_day[i]))
            if chosen_day[i].any()
            else int(np.argmax(chosen[i]))
            if chosen[i].any()
            else None
        )
        for i, p in enumerate(participants)
    }

    plan = plan_sessions(
        participants,
        start=start,
        weeks=2,
        duration_minutes=60,
        sessions=k,
        anchor=anchor,
    )

    assert (plan.times, plan.covered, plan.night, plan.assignment) == (
        [SessionTime.from_index(c) for c in best],
        int(chosen.any(axis=1).sum()),
        int((chosen.any(axis=1) & ~chosen_day.any(axis=1)).sum()),
        expected_assignment,
    )
    assert plan.coverage.reshape(-1).tolist() == attend.sum(axis=0).tolist()


# ---- concrete cases across the DST changes of March 2021 -----------------------------------


def new_yorker(availability="daily 09:00-11:00"):
    return Participant("ny", "America/New_York", parse_availability(availability))


def test_new_yorker_misses_a_fixed_utc_time_after_the_us_dst_change():
    # 14:00 UTC is 09:00-11:00 EST until 14 March 2021, then 10:00-12:00 EDT.
    plan = evaluate_plan(
        [new_yorker()], [SessionTime(0, 14 * 60)], duration_minutes=120, **DST_2021
    )

    assert (plan.covered, plan.assignment) == (0, {"ny": None})
    assert plan.uncovered == {
        "ny": UncoveredReason(
            "not_every_week",
            "no candidate fits every week; available times fit only in some weeks:"
            " DST shift in week 6",
            (6, 7),
            shift_weeks=(5,),
        )
    }
    assert plan.offset_shifts == {
        "ny": [OffsetShift(5, datetime(2021, 3, 14, 7, 0, tzinfo=UTC), -300, -240)]
    }


def test_new_yorker_attends_the_utc_time_in_the_weeks_before_the_change():
    plan = evaluate_plan(
        [new_yorker()],
        [SessionTime(0, 14 * 60)],
        start=date(2021, 2, 1),
        weeks=6,
        duration_minutes=120,
    )

    assert (plan.covered, plan.assignment) == (1, {"ny": 0})


def test_new_yorker_is_covered_with_a_new_york_anchor_and_not_with_utc():
    utc = plan_sessions([new_yorker()], duration_minutes=120, **DST_2021)
    local = plan_sessions(
        [new_yorker()], duration_minutes=120, anchor="America/New_York", **DST_2021
    )

    assert (utc.covered, utc.assignment) == (0, {"ny": None})
    assert int(utc.coverage.sum()) == 0
    assert (local.times, local.covered, local.assignment) == (
        [SessionTime(0, 9 * 60)],
        1,
        {"ny": 0},
    )
    assert local.offset_shifts == {}


def test_berlin_and_new_york_share_a_time_only_in_their_common_window():
    # Berlin 17:00-20:00 is 16:00-19:00 UTC until 28 March 2021, then 15:00-18:00 UTC;
    # New York 10:00-13:00 is 15:00-18:00 UTC until 14 March, then 14:00-17:00 UTC.
    # Every week they share only 16:00-17:00 UTC.
    berlin = Participant("be", "Europe/Berlin", parse_availability("Mon-Fri 17:00-20:00"))
    ny = new_yorker("Mon-Fri 10:00-13:00")

    plan = plan_sessions([berlin, ny], duration_minutes=60, **DST_2021)

    assert (plan.times, plan.covered, plan.assignment) == (
        [SessionTime(0, 16 * 60)],
        2,
        {"be": 0, "ny": 0},
    )
    assert np.argwhere(plan.coverage == 2).tolist() == [[day, 64] for day in range(5)]


SYDNEY_APRIL = {"start": date(2021, 3, 22), "weeks": 3, "duration_minutes": 120}


@pytest.mark.parametrize(
    ("availability", "covered", "night"),
    [
        ("Sat 23:00-24:00; Sun 00:00-02:00", 1, 1),
        ("Sat 23:00-24:00; Sun 00:00-01:00", 0, 0),
        ("Sun 00:00-02:00", 0, 0),
    ],
)
def test_sydney_session_across_local_midnight_and_the_april_dst_end(availability, covered, night):
    # Sydney leaves DST on Sunday 4 April 2021, 03:00 AEDT = 16:00 UTC Saturday (run week 1).
    # Sat 13:00-15:00 UTC is Sun 00:00-02:00 AEDT in weeks 0 and 1, then Sat 23:00-Sun 01:00
    # AEST in week 2.
    person = Participant("syd", "Australia/Sydney", parse_availability(availability))

    plan = evaluate_plan([person], [SessionTime(5, 13 * 60)], **SYDNEY_APRIL)

    assert (plan.covered, plan.night) == (covered, night)
    assert plan.offset_shifts["syd"] == [
        OffsetShift(1, datetime(2021, 4, 3, 16, 0, tzinfo=UTC), 660, 600)
    ]


def test_session_spanning_the_local_dst_change_needs_only_the_repeated_hour():
    # Sat 3 April 2021 15:00-17:00 UTC is Sun 02:00-03:00 AEDT and then 02:00-03:00 AEST.
    person = Participant("syd", "Australia/Sydney", parse_availability("Sun 02:00-03:00"))

    plan = evaluate_plan(
        [person], [SessionTime(5, 15 * 60)], start=date(2021, 3, 29), weeks=1, duration_minutes=120
    )

    assert (plan.covered, plan.night) == (1, 1)


def test_half_and_three_quarter_hour_zones():
    kathmandu = Participant("ktm", "Asia/Kathmandu", parse_availability("Mon 20:45-21:45"))
    chatham = Participant("cha", "Pacific/Chatham", parse_availability("Tue 04:30-05:30"))
    eucla = Participant(
        "euc", "Australia/Eucla", parse_availability("Mon 23:45-24:00; Tue 00:00-00:45")
    )
    # 15:00 UTC Monday: 20:45 in Kathmandu (+5:45), 04:45 Tuesday in Chatham (+13:45 in
    # February), 23:45 Monday in Eucla (+8:45).
    run = {"start": date(2021, 2, 1), "weeks": 4, "duration_minutes": 45}

    plan = plan_sessions([kathmandu, chatham, eucla], **run)

    assert (plan.times, plan.covered, plan.night) == ([SessionTime(0, 15 * 60)], 3, 2)
    assert plan.assignment == {"ktm": 0, "cha": 0, "euc": 0}


def test_session_in_an_anchor_dst_gap_cannot_be_attended_that_week():
    # Berlin skips 02:00-03:00 on Sunday 28 March 2021.
    early = Participant("e", "Europe/Berlin", parse_availability("daily 00:00-24:00"))
    run = {"start": date(2021, 3, 22), "weeks": 2, "duration_minutes": 15}

    plan = plan_sessions([early], anchor="Europe/Berlin", **run)

    gap = SessionTime(6, 2 * 60 + 30).index
    assert plan.coverage.reshape(-1)[gap] == 0
    assert plan.coverage.reshape(-1)[gap - 4] == 1
    assert evaluate_plan([early], [SessionTime(6, 150)], anchor="Europe/Berlin", **run).covered == 0


def test_ambiguous_anchor_time_is_the_earlier_instant():
    # Berlin repeats 02:00-03:00 on Sunday 31 October 2021; 02:30 means 00:30 UTC.
    utc_early = Participant("u", "UTC", parse_availability("Sun 00:30-00:45"))
    run = {"start": date(2021, 10, 25), "weeks": 1, "duration_minutes": 15}

    plan = evaluate_plan([utc_early], [SessionTime(6, 150)], anchor="Europe/Berlin", **run)

    assert plan.covered == 1


def test_plan_prefers_daytime_sessions_among_equally_covering_plans():
    # Both can attend Mon 06:00 and Mon 10:00 UTC; only 10:00 is daytime for both.
    people = [Participant(str(i), "UTC", parse_availability("Mon 06:00-11:00")) for i in range(2)]

    plan = plan_sessions(people, start=date(2021, 2, 1), weeks=2, duration_minutes=60)

    assert (plan.times, plan.night) == ([SessionTime(0, 7 * 60)], 0)


def test_assignment_prefers_the_daytime_one_of_two_times():
    person = Participant("p", "Asia/Kolkata", parse_availability("Mon 05:00-12:00"))
    # 00:30 UTC is 06:00 IST (night), 03:30 UTC is 09:00 IST.
    times = [SessionTime(0, 30), SessionTime(0, 3 * 60 + 30)]

    plan = evaluate_plan([person], times, start=date(2021, 2, 1), weeks=2, duration_minutes=60)

    assert (plan.assignment, plan.night) == ({"p": 1}, 0)


def test_uncovered_reasons_for_short_availability_and_unchosen_times():
    short = Participant("s", "UTC", parse_availability("Mon 09:00-09:30"))
    elsewhere = Participant("x", "UTC", parse_availability("Tue 09:00-10:00"))

    plan = evaluate_plan(
        [short, elsewhere],
        [SessionTime(0, 9 * 60)],
        start=date(2021, 2, 1),
        weeks=2,
        duration_minutes=60,
    )

    assert plan.uncovered == {
        "s": UncoveredReason("no_window", "no available stretch holds a 60-minute session"),
        "x": UncoveredReason(
            "not_chosen",
            "can attend 1 other time(s) every week, but none of the chosen times",
            other_times=1,
        ),
    }


def test_two_sessions_cover_two_regions():
    people = [
        Participant("a1", "Asia/Tokyo", parse_availability("Mon-Fri 19:00-21:00")),
        Participant("a2", "Asia/Kolkata", parse_availability("Mon-Fri 15:30-17:30")),
        Participant("b1", "America/Santiago", parse_availability("Sat 10:00-12:00")),
    ]

    plan = plan_sessions(people, start=date(2021, 3, 22), weeks=4, duration_minutes=60, sessions=2)

    # 10:00 UTC = 19:00 Tokyo = 15:30 Kolkata. Santiago leaves DST on 4 April 2021 (-3 to -4):
    # Sat 14:00 UTC is 11:00 then 10:00 local; 10:00-12:00 holds both.
    assert (plan.times, plan.covered) == ([SessionTime(0, 10 * 60), SessionTime(5, 14 * 60)], 3)
    assert plan.assignment == {"a1": 0, "a2": 0, "b1": 1}


def test_progress_is_reported():
    seen = []

    plan_sessions(
        [new_yorker()],
        duration_minutes=60,
        sessions=3,
        progress=lambda stage, fraction: seen.append(stage),
        **DST_2021,
    )

    assert "attendance" in seen


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"anchor": "Mars/Base"}, UnknownTimezoneError),
        ({"weeks": 0}, ValueError),
        ({"duration_minutes": 0}, ValueError),
        ({"sessions": 673}, ValueError),
    ],
)
def test_bad_arguments_raise_value_errors(arguments, error):
    run = {"start": date(2021, 2, 1), "weeks": 2, "duration_minutes": 60} | arguments
    with pytest.raises(error):
        plan_sessions([new_yorker()], **run)


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError, match="appears twice"):
        plan_sessions([new_yorker(), new_yorker()], duration_minutes=60, **DST_2021)


def test_empty_cohort_gives_the_earliest_times():
    plan = plan_sessions([], duration_minutes=60, sessions=2, **DST_2021)

    assert (plan.times, plan.covered, plan.assignment) == (
        [SessionTime(0, 0), SessionTime(0, 15)],
        0,
        {},
    )


def test_session_time_forms():
    time_ = SessionTime.parse("thu 07:45")

    assert (time_.weekday, time_.minute_of_day, time_.index, time_.label) == (
        3,
        465,
        319,
        "Thu 07:45",
    )
    assert SessionTime.from_index(319) == time_
    with pytest.raises(ValueError, match="15-minute grid"):
        SessionTime(0, 10)


def test_availability_from_array_feeds_the_planner():
    slots = np.zeros(672, dtype=bool)
    slots[9 * 4 : 10 * 4] = True
    person = Participant("p", "UTC", Availability.from_array(slots))

    plan = plan_sessions([person], start=date(2021, 2, 1), weeks=1, duration_minutes=60)

    assert plan.times == [SessionTime(0, 9 * 60)]
