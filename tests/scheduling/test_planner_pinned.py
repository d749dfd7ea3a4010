"""The planner's results and search order pinned on seeded random cohorts.

The property tests in test_planner.py compare small cases with a brute force; these pin larger
cases, where the branch and bound really branches (K = 3 to 6), to figures the search gave
before its restructuring (December 2026). ``nodes`` counts the paths the branch and bound
visits, so a change in its order or pruning fails here even when the plan stays the same.
A deliberate change to the search updates the figures (and says why in its commit).
"""

import random
from datetime import date

import numpy as np
import pytest

from cohortkit.scheduling.availability import Participant, parse_availability
from cohortkit.scheduling.planner import Search, plan_sessions

ZONES = [
    "UTC",
    "America/New_York",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Asia/Tokyo",
    "Pacific/Chatham",
]
DAYS = ["daily", "Mon-Fri", "Mon-Thu", "Sat-Sun", "Sat", "Tue", "Wed"]


def seeded_cohort(seed, size):
    rng = random.Random(seed)
    people = []
    for index in range(size):
        ranges = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            first = rng.randrange(24, 88)  # quarter hours: 06:00 ... 21:45
            last = min(96, first + rng.choice([4, 6, 8, 12, 16]))
            ranges.append(
                f"{rng.choice(DAYS)} {first // 4:02d}:{first % 4 * 15:02d}"
                f"-{last // 4:02d}:{last % 4 * 15:02d}"
            )
        availability = parse_availability("; ".join(ranges))
        people.append(Participant(f"p{index}", rng.choice(ZONES), availability))
    return people


def seeded_problem(seed, rows, columns):
    rng = np.random.default_rng(seed)
    attendable = rng.random((rows, columns)) < 0.15
    daytime = attendable & (rng.random((rows, columns)) < 0.7)
    weights = rng.integers(1, 6, rows).astype(np.int64)
    return attendable, daytime, weights


@pytest.mark.parametrize(
    ("seed", "size", "k", "expected"),
    [
        (1, 400, 3, (["Tue 03:15", "Tue 06:45", "Tue 11:15"], 84, 8)),
        (2, 400, 4, (["Tue 10:45", "Tue 17:30", "Wed 04:30", "Wed 07:00"], 112, 5)),
        (
            3,
            300,
            5,
            (["Tue 19:30", "Tue 22:45", "Wed 02:15", "Wed 16:15", "Sat 11:45"], 104, 13),
        ),
        (4, 600, 3, (["Tue 07:00", "Tue 20:00", "Wed 02:30"], 134, 12)),
        (
            5,
            300,
            6,
            (
                ["Mon 22:15", "Tue 08:00", "Tue 18:00", "Wed 00:45", "Sat 11:00", "Sat 15:15"],
                114,
                11,
            ),
        ),
    ],
)
def test_plans_of_seeded_cohorts_are_unchanged(seed, size, k, expected):
    participants = seeded_cohort(seed, size)

    plan = plan_sessions(
        participants, start=date(2021, 3, 8), weeks=4, duration_minutes=60, sessions=k
    )

    assert ([time.label for time in plan.times], plan.covered, plan.night) == expected


@pytest.mark.parametrize(
    ("seed", "rows", "columns", "k", "expected"),
    [
        (11, 80, 40, 3, (42385, [6, 30, 37], 8)),
        (12, 80, 40, 4, (32402, [9, 12, 14, 26], 35)),
        (13, 120, 60, 4, (84633, [11, 12, 52, 58], 85)),
        (14, 60, 30, 5, (30757, [9, 11, 20, 22, 25], 75)),
        (15, 60, 30, 6, (24808, [5, 8, 18, 20, 21, 29], 995)),
        (16, 200, 80, 3, (200856, [17, 39, 71], 11)),
        (18, 150, 50, 5, (142688, [11, 12, 47, 48, 49], 654)),
        (19, 400, 120, 4, (915611, [1, 23, 37, 93], 475)),
    ],
)
def test_search_order_on_seeded_problems_is_unchanged(seed, rows, columns, k, expected):
    attendable, daytime, weights = seeded_problem(seed, rows, columns)
    search = Search(attendable, daytime, weights, np.arange(columns), int(weights.sum()) + 1, None)

    score, chosen = search.solve(k)

    assert (score, list(chosen), search.nodes) == expected
