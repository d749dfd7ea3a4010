import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, milp

from cohortkit.applications.forms import WhatIfForm
from cohortkit.applications.selection import (
    Applicant,
    ApplicantTable,
    InfeasibleQuotas,
    Quota,
    Reason,
    Selection,
    SelectionError,
    next_offer,
    select_applicants,
)
from cohortkit.applications.selection_io import (
    QuotaSyntaxError,
    SelectionInputError,
    parse_applications_csv,
    parse_quota,
    parse_quota_line,
    selection_json,
)


def people(*rows: tuple[str, float, str]) -> list[Applicant]:
    return [Applicant(id_, score, {"region": region}) for id_, score, region in rows]


def test_select_applicants_takes_the_best_scores_without_quotas() -> None:
    applicants = people(("a", 5, "x"), ("b", 4, "y"), ("c", 3, "x"), ("d", 2, "y"))

    selection = select_applicants(applicants, seats=2, seed=3)

    assert selection == Selection(
        selected=("a", "b"),
        waitlist=("c", "d"),
        total_score=9.0,
        seed=3,
        reasons={
            "a": Reason("selected_by_score"),
            "b": Reason("selected_by_score"),
            "c": Reason("waitlisted_by_score"),
            "d": Reason("waitlisted_by_score"),
        },
        lottery_ranks=selection.lottery_ranks,
    )


def test_select_applicants_lifts_an_at_least_quota_and_says_why() -> None:
    applicants = people(("a", 5, "x"), ("b", 4, "x"), ("c", 3, "x"), ("d", 1, "y"))
    quota = Quota("at_least", "region", "y", 1)

    selection = select_applicants(applicants, seats=2, quotas=[quota])

    assert (selection.selected, selection.waitlist, selection.total_score) == (
        ("a", "d"),
        ("b", "c"),
        6.0,
    )
    assert dict(selection.reasons) == {
        "a": Reason("selected_by_score"),
        "b": Reason("waitlisted_displaced_by_quota", "at-least region=y:1"),
        "c": Reason("waitlisted_by_score"),
        "d": Reason("selected_for_quota", "at-least region=y:1"),
    }


def test_select_applicants_leaves_seats_empty_rather_than_break_an_at_most_quota() -> None:
    applicants = people(("a", 5, "x"), ("b", 4, "x"), ("c", 3, "y"))
    quota = Quota("at_most", "region", "x", 1)

    selection = select_applicants(applicants, seats=3, quotas=[quota])

    assert (selection.selected, selection.waitlist) == (("a", "c"), ("b",))
    assert selection.reasons["b"] == Reason("waitlisted_quota_full", "at-most region=x:1")
    assert str(selection.reasons["b"]) == "waitlisted_quota_full at-most region=x:1"


def test_select_applicants_matches_multi_valued_answers_by_membership() -> None:
    applicants = [
        Applicant("a", 9, {"languages": frozenset({"en"})}),
        Applicant("b", 8, {"languages": "en"}),
        Applicant("c", 1, {"languages": frozenset({"en", "fr"})}),
    ]

    selection = select_applicants(
        applicants, seats=2, quotas=[Quota("at_least", "languages", "fr", 1)]
    )

    assert selection.selected == ("a", "c")


def test_select_applicants_breaks_exact_ties_by_the_seeded_lottery() -> None:
    applicants = people(*[(f"p{i}", 1.0, "x") for i in range(10)])

    first = select_applicants(applicants, seats=3, seed=11)
    again = select_applicants(list(reversed(applicants)), seats=3, seed=11)

    assert first == again
    by_lottery = sorted(first.lottery_ranks, key=first.lottery_ranks.__getitem__)
    assert first.selected + first.waitlist == tuple(by_lottery)
    assert sorted(first.lottery_ranks.values()) == list(range(10))


def test_select_applicants_names_a_quota_with_too_few_matching_applicants() -> None:
    applicants = people(("a", 5, "Africa"), ("b", 4, "Africa"), ("c", 3, "Asia"))
    quotas = [
        Quota("at_most", "region", "Asia", 3),
        Quota("at_least", "region", "Africa", 5),
    ]

    with pytest.raises(InfeasibleQuotas) as raised:
        select_applicants(applicants, seats=10, quotas=quotas)

    assert str(raised.value) == "at-least region=Africa:5 cannot hold: only 2 applicants match"
    assert raised.value.quotas == (quotas[1],)


def test_select_applicants_names_at_least_quotas_that_need_more_than_the_seats() -> None:
    applicants = people(*[(f"p{i}", i, "xy"[i % 2]) for i in range(10)])
    quotas = [
        Quota("at_least", "region", "x", 2),
        Quota("at_least", "region", "y", 2),
        Quota("at_most", "region", "z", 0),
    ]

    with pytest.raises(InfeasibleQuotas) as raised:
        select_applicants(applicants, seats=3, quotas=quotas)

    assert (
        str(raised.value)
        == "at-least region=x:2 and at-least region=y:2 cannot all hold within 3 seats"
    )


def test_select_applicants_names_an_at_least_and_at_most_conflict() -> None:
    applicants = people(*[(f"p{i}", i, "x") for i in range(10)])
    quotas = [Quota("at_least", "region", "x", 4), Quota("at_most", "region", "x", 2)]

    with pytest.raises(InfeasibleQuotas) as raised:
        select_applicants(applicants, seats=5, quotas=quotas)

    assert (
        str(raised.value) == "at-least region=x:4 and at-most region=x:2 cannot all hold together"
    )


def test_select_applicants_refuses_duplicate_ids() -> None:
    with pytest.raises(SelectionError, match="'a' occurs more than once"):
        select_applicants(people(("a", 1, "x"), ("a", 2, "y")), seats=1)


# Brute force: every subset of a small instance, ordered by (count, score, -rank sum).

REGIONS = ["x", "y", "z"]
LEVELS = ["new", "old"]


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Applicant], int, list[Quota], int]:
    n = draw(st.integers(0, 10))
    applicants = [
        Applicant(
            f"a{i}",
            draw(st.integers(0, 6)) / 2,  # halves: exact ties across profiles are common
            {
                "region": draw(st.sampled_from(REGIONS)),
                "level": draw(st.sampled_from(LEVELS)),
                "languages": frozenset(draw(st.sets(st.sampled_from(["en", "fr"])))),
            },
        )
        for i in range(n)
    ]
    quotas = draw(
        st.lists(
            st.builds(
                Quota,
                st.sampled_from(["at_least", "at_most"]),
                st.sampled_from(["region", "level", "languages"]),
                st.sampled_from(["x", "y", "new", "fr", "en"]),
                st.integers(0, 4),
            ),
            max_size=4,
        )
    )
    return applicants, draw(st.integers(0, 6)), quotas, draw(st.integers(0, 3))


def brute_force(
    applicants: list[Applicant], seats: int, quotas: list[Quota], ranks: dict[str, int]
) -> tuple[int, float, int] | None:
    best: tuple[int, float, int] | None = None
    for size in range(min(seats, len(applicants)) + 1):
        for chosen in itertools.combinations(applicants, size):
            if all(holds(quota, chosen) for quota in quotas):
                key = (size, math.fsum(a.score for a in chosen), -sum(ranks[a.id] for a in chosen))
                best = key if best is None or key > best else best
    return best


def holds(quota: Quota, chosen: tuple[Applicant, ...] | list[Applicant]) -> bool:
    count = sum(quota.matches(a.attributes.get(quota.column)) for a in chosen)
    return count >= quota.count if quota.kind == "at_least" else count <= quota.count


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_select_applicants_agrees_with_brute_force(
    instance: tuple[list[Applicant], int, list[Quota], int],
) -> None:
    applicants, seats, quotas, seed = instance
    try:
        selection = select_applicants(applicants, seats=seats, quotas=quotas, seed=seed)
    except InfeasibleQuotas as error:
        assert brute_force(applicants, seats, quotas, {a.id: 0 for a in applicants}) is None
        conflict = list(error.quotas)
        assert brute_force(applicants, seats, conflict, {a.id: 0 for a in applicants}) is None
        for dropped in conflict:  # minimal: every proper subset can hold
            rest = [q for q in conflict if q is not dropped]
            assert brute_force(applicants, seats, rest, {a.id: 0 for a in applicants})
        return
    offer = sorted(applicants, key=lambda a: (-a.score, selection.lottery_ranks[a.id]))
    ranks = {a.id: position for position, a in enumerate(offer)}
    by_id = {a.id: a for a in applicants}
    chosen = [by_id[i] for i in selection.selected]

    assert all(holds(quota, chosen) for quota in quotas)
    assert brute_force(applicants, seats, quotas, ranks) == (
        len(chosen),
        math.fsum(a.score for a in chosen),
        -sum(ranks[a.id] for a in chosen),
    )
    assert selection.total_score == math.fsum(a.score for a in chosen)
    assert list(selection.selected) + list(selection.waitlist) == [
        a.id for a in offer if a.id in selection.selected
    ] + [a.id for a in offer if a.id not in selection.selected]


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances(), st.integers(0, 4))
def test_next_offer_keeps_at_most_quotas_and_at_least_quotas_reachable(
    instance: tuple[list[Applicant], int, list[Quota], int], holders: int
) -> None:
    applicants, seats, quotas, _ = instance
    holding, waitlist = applicants[:holders], applicants[holders:]

    offer = next_offer(waitlist, holding, quotas=quotas, seats=seats)

    def allowed(candidate: Applicant, strict: bool) -> bool:
        with_them = [*holding, candidate]
        pool = [a for a in waitlist if a is not candidate]
        at_most_ok = all(
            holds(q, with_them) or not q.matches(candidate.attributes.get(q.column))
            for q in quotas
            if q.kind == "at_most"
        )
        if not at_most_ok or len(with_them) > seats:
            return False
        return not strict or any(
            all(holds(q, with_them + list(extra)) for q in quotas if q.kind == "at_least")
            and all(
                holds(q, list(extra))
                or not any(q.matches(a.attributes.get(q.column)) for a in extra)
                for q in quotas
                if q.kind == "at_most" and not holds(q, with_them)
            )
            and all(
                holds(q, with_them + list(extra))
                for q in quotas
                if q.kind == "at_most" and holds(q, with_them)
            )
            for size in range(seats - len(with_them) + 1)
            for extra in itertools.combinations(pool, size)
        )

    reachable_now = any(
        all(holds(q, holding + list(extra)) for q in quotas)
        for size in range(max(0, seats - len(holding)) + 1)
        for extra in itertools.combinations(waitlist, size)
    ) or not any(q.kind == "at_least" for q in quotas)
    expected = (
        next(
            (a for a in waitlist if allowed(a, strict=reachable_now)),
            None,
        )
        if len(holding) < seats
        else None
    )
    assert offer == expected


# Reading the command line's inputs.


def test_parse_applications_csv_reads_ids_scores_and_answer_sets() -> None:
    table = parse_applications_csv(
        ["id,score,region,languages\n", " a ,4.5,Africa,en;fr\n", "b,3,Asia,en\n"]
    )

    assert (list(table.ids), list(table.scores)) == (["a", "b"], [4.5, 3.0])
    assert [list(values) for values in table.columns.values()] == [
        ["Africa", "Asia"],
        [frozenset({"en", "fr"}), "en"],
    ]


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["score,region\n"], "line 1: no 'id' column in the header"),
        (["id,region\n"], "line 1: no 'score' column in the header"),
        (["id,score\n", "a,high\n"], "line 2, column score: 'high' is not a number"),
        (["id,score\n", "a,1\n", "a,2\n"], "line 3, column id: duplicate id 'a' (first on line 2)"),
        (["id,score\n", "a,1,x\n"], "line 2: expected 2 fields, found 3"),
        ([], "the file is empty"),
    ],
)
def test_parse_applications_csv_names_the_line_and_column_of_an_error(
    lines: list[str], message: str
) -> None:
    with pytest.raises(SelectionInputError) as raised:
        parse_applications_csv(lines, source="apps.csv")

    assert str(raised.value) == f"apps.csv, {message}" if "line" in message else True
    assert message in str(raised.value)


def test_parse_quota_reads_column_value_and_count() -> None:
    assert parse_quota("at_least", "region=Latin America:5") == Quota(
        "at_least", "region", "Latin America", 5
    )


def test_parse_quota_keeps_equals_and_colons_inside_the_value() -> None:
    assert parse_quota("at_most", " time = 10:30=late : 2 ") == Quota(
        "at_most", "time", "10:30=late", 2
    )


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("region", "expected COLUMN=VALUE:COUNT"),
        ("region=Africa", "expected COLUMN=VALUE:COUNT"),
        ("=Africa:3", "expected COLUMN=VALUE:COUNT"),
        ("region=:3", "expected COLUMN=VALUE:COUNT"),
        ("region= :3", "expected COLUMN=VALUE:COUNT"),
        ("region=Africa:x", "the count 'x' is not a whole number >= 0"),
        ("region=Africa:-1", "the count '-1' is not a whole number >= 0"),
        ("region=Africa:²", "the count '²' is not a whole number >= 0"),
        ("region=Africa:٣", "the count '٣' is not a whole number >= 0"),
        ("region=Africa:", "the count '' is not a whole number >= 0"),
    ],
)
def test_parse_quota_refuses_a_malformed_spec_naming_it(spec: str, problem: str) -> None:
    with pytest.raises(QuotaSyntaxError) as raised:
        parse_quota("at_most", spec)

    assert str(raised.value) == f"--at-most {spec!r}: {problem}"


def test_parse_quota_line_reads_the_kind_as_the_command_line_option_names_it() -> None:
    assert [parse_quota_line(line) for line in ("at-least region=Africa:5", " at-most a=b:0 ")] == [
        Quota("at_least", "region", "Africa", 5),
        Quota("at_most", "a", "b", 0),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("at least region=Africa:5", "'at least region=Africa:5': expected at-least or at-most"),
        ("region=Africa:5", "'region=Africa:5': expected at-least or at-most"),
        ("at-least region=Africa", "--at-least 'region=Africa': expected COLUMN=VALUE:COUNT"),
        ("at-most region=:5", "--at-most 'region=:5': expected COLUMN=VALUE:COUNT"),
    ],
)
def test_parse_quota_line_refuses_a_malformed_line_naming_it(line: str, message: str) -> None:
    with pytest.raises(QuotaSyntaxError) as raised:
        parse_quota_line(line)

    assert message in str(raised.value)


def test_selection_json_has_exactly_the_promised_keys() -> None:
    table = ApplicantTable(ids=["a", "b"], scores=[1.0, 2.0], columns={})

    assert selection_json(select_applicants(table, seats=1)) == (
        '{"selected": ["b"], "waitlist": ["a"], "total_score": 2.0}'
    )


# Medium instances, where the selector's windows and bands matter, against a plain 0/1
# program over every applicant solved in three lexicographic steps.


def reference(
    table: ApplicantTable, seats: int, quotas: list[Quota], ranks: list[int]
) -> tuple[int, float, int] | None:
    n = len(table.ids)
    scores = np.asarray(table.scores, dtype=float)
    rows = [np.ones(n)]
    lower, upper = [0.0], [float(seats)]
    for quota in quotas:
        column = list(table.columns[quota.column])
        rows.append(np.array([quota.matches(value) for value in column], dtype=float))
        lower.append(quota.count if quota.kind == "at_least" else -np.inf)
        upper.append(np.inf if quota.kind == "at_least" else quota.count)

    def solve(
        objective: np.ndarray, extra: list[tuple[np.ndarray, float, float]]
    ) -> np.ndarray | None:
        matrix = np.vstack(rows + [row for row, _, _ in extra])
        lb = lower + [lo for _, lo, _ in extra]
        ub = upper + [hi for _, _, hi in extra]
        result = milp(
            objective,
            integrality=np.ones(n),
            bounds=Bounds(0, 1),
            constraints=[LinearConstraint(matrix, lb, ub)],
            options={"mip_rel_gap": 0.0},
        )
        assert result.status in (0, 2)
        return None if result.status == 2 else np.rint(result.x)

    x = solve(-np.ones(n), [])
    if x is None:
        return None
    count = int(x.sum())
    x = solve(-scores, [(np.ones(n), count, count)])
    best = math.fsum(scores[x == 1].tolist())
    tolerance = 1e-10 * max(1.0, float(np.sort(np.abs(scores))[::-1][:seats].sum()))
    x = solve(
        np.asarray(ranks, dtype=float),
        [(np.ones(n), count, count), (scores, best - tolerance, np.inf)],
    )
    chosen = x == 1
    return count, math.fsum(scores[chosen].tolist()), -int(np.asarray(ranks)[chosen].sum())


@st.composite
def medium_instances(draw: st.DrawFn) -> tuple[ApplicantTable, int, list[Quota], int]:
    n = draw(st.integers(40, 400))
    rng_seed = draw(st.integers(0, 2**31))
    rng = np.random.default_rng(rng_seed)
    if draw(st.booleans()):
        scores = (rng.integers(0, 9, n) / 4).tolist()  # many exact ties
    else:
        scores = np.round(rng.normal(3, 1, n), 6).tolist()
    regions = rng.choice(["x", "y", "z", "w"], n).tolist()
    levels = rng.choice(["new", "old"], n).tolist()
    spoken = [
        frozenset(rng.choice(["en", "fr", "es"], rng.integers(0, 3), replace=False).tolist())
        for _ in range(n)
    ]
    table = ApplicantTable(
        ids=[f"m{i}" for i in range(n)],
        scores=scores,
        columns={"region": regions, "level": levels, "languages": spoken},
    )
    seats = draw(st.integers(0, n))
    quotas = draw(
        st.lists(
            st.builds(
                Quota,
                st.sampled_from(["at_least", "at_most"]),
                st.sampled_from(["region", "level", "languages"]),
                st.sampled_from(["x", "y", "new", "fr", "en"]),
                st.integers(0, max(seats // 2, 0)),
            ),
            max_size=6,
        )
    )
    return table, seats, quotas, draw(st.integers(0, 5))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(medium_instances())
def test_select_applicants_agrees_with_a_plain_integer_program(
    instance: tuple[ApplicantTable, int, list[Quota], int],
) -> None:
    table, seats, quotas, seed = instance
    try:
        selection = select_applicants(table, seats=seats, quotas=quotas, seed=seed)
    except InfeasibleQuotas:
        assert reference(table, seats, quotas, [0] * len(table.ids)) is None
        return
    ids = list(table.ids)
    scores = dict(zip(ids, table.scores, strict=True))
    offer = sorted(ids, key=lambda i: (-scores[i], selection.lottery_ranks[i]))
    rank_of = {i: position for position, i in enumerate(offer)}
    chosen = set(selection.selected)

    assert reference(table, seats, quotas, [rank_of[i] for i in ids]) == (
        len(chosen),
        math.fsum(scores[i] for i in selection.selected),
        -sum(rank_of[i] for i in chosen),
    )


def test_parse_applications_csv_reads_the_same_table_row_by_row_as_column_by_column() -> None:
    lines = ["id,score,region,languages\n", "a,4.5,Africa,en;fr\n", "b, 3 ,Asia,en\n"]

    fast = parse_applications_csv(lines)
    careful = parse_applications_csv([*lines[:2], "\n", lines[2]])  # a blank line

    assert (list(fast.ids), list(fast.scores)) == (list(careful.ids), list(careful.scores))
    assert {name: list(values) for name, values in fast.columns.items()} == {
        name: list(values) for name, values in careful.columns.items()
    }


def test_what_if_lines_follow_the_command_line_rules() -> None:
    form = WhatIfForm({"quotas": "at-most region = europe : 0\n\n at-least languages=es:2"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["quotas"] == [
        Quota("at_most", "region", "europe", 0),
        Quota("at_least", "languages", "es", 2),
    ]


@pytest.mark.parametrize("bad", ["at-least region=:5", "at-least region=africa:²", "at least x"])
def test_what_if_names_the_line_the_command_line_would_refuse(bad: str) -> None:
    form = WhatIfForm({"quotas": f"at-most region=europe:0\n{bad}"})

    assert form.errors == {"quotas": [f"Line 2, “{bad}”, is not like at-least region=africa:5."]}
    assert form.data["quotas"].endswith(bad)
