import json
from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cohortkit.reviews.allocation import Cohort, Rules, allocate_reviewers
from cohortkit.reviews.management.commands.assign_reviewers import allocation_to_json


def write_csv(tmp_path: Path, text: str) -> str:
    path = tmp_path / "participants.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def run(*args: str) -> dict[str, list[dict[str, str]]]:
    out = StringIO()
    call_command("assign_reviewers", *args, stdout=out)
    result: dict[str, list[dict[str, str]]] = json.loads(out.getvalue())
    return result


COHORT = (
    "id,community,country\n"
    "ana,north,PT\nben,north,DE\ncho,south,KR\ndev,south,IN\n"
    "eli,east,PT\nfay,east,DE\ngus,west,KR\nhal,west,IN\n"
)


def test_assign_reviewers_prints_k_regular_assignments_in_csv_order(tmp_path: Path) -> None:
    path = write_csv(tmp_path, COHORT)
    result = run(path, "--reviews", "3", "--not-same", "community", "--spread", "country", "--json")
    pairs = [(a["reviewer"], a["author"]) for a in result["assignments"]]
    order = ["ana", "ben", "cho", "dev", "eli", "fay", "gus", "hal"]
    assert list(result) == ["assignments"]
    assert pairs == sorted(pairs, key=lambda p: (order.index(p[0]), order.index(p[1])))
    assert Counter(r for r, _ in pairs) == dict.fromkeys(order, 3)
    assert Counter(a for _, a in pairs) == dict.fromkeys(order, 3)
    community = {row.split(",")[0]: row.split(",")[1] for row in COHORT.splitlines()[1:]}
    assert all(community[r] != community[a] for r, a in pairs)
    assert len(set(pairs)) == len(pairs)


def test_assign_reviewers_output_is_exactly_the_documented_json(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "id\n1\n2\n")
    out = StringIO()
    call_command("assign_reviewers", path, "--reviews", "1", "--json", stdout=out)
    assert out.getvalue() == (
        '{"assignments": [{"reviewer": "1", "author": "2"}, {"reviewer": "2", "author": "1"}]}\n'
    )


def test_assign_reviewers_accepts_keyword_options(tmp_path: Path) -> None:
    path = write_csv(tmp_path, COHORT)
    out = StringIO()
    call_command(
        "assign_reviewers",
        path,
        reviews=2,
        not_same=["community", "country"],
        as_json=True,
        stdout=out,
    )
    assert len(json.loads(out.getvalue())["assignments"]) == 16


def test_assign_reviewers_refuses_too_few_people_and_prints_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "id\na\nb\nc\n")
    out = StringIO()
    with pytest.raises(CommandError, match=r"too few people: 3 participants cannot give 3 reviews"):
        call_command("assign_reviewers", path, "--reviews", "3", "--json", stdout=out)
    assert out.getvalue() == ""


def test_assign_reviewers_names_the_blocking_not_same_rule(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path, "id,community\n" + "".join(f"{i},{'XXXXXXXYYY'[i]}\n" for i in range(10))
    )
    out = StringIO()
    with pytest.raises(
        CommandError, match=r"not-same community: community 'X' has 7 of 10"
    ) as caught:
        call_command(
            "assign_reviewers",
            path,
            "--reviews",
            "3",
            "--not-same",
            "community",
            "--json",
            stdout=out,
        )
    assert "short by 12 reviews" in str(caught.value)
    assert out.getvalue() == ""


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("name,c\nA,x\n", (), "no 'id' column"),
        ("id,c\n1,x\n1,y\n", (), "duplicate ids: 1"),
        ("id,c\n1,x\n2,y\n", ("--not-same", "team"), "unknown column 'team'"),
        ("id,c\n1,x\n2,y\n", ("--spread", "country"), "unknown column 'country'"),
    ],
)
def test_assign_reviewers_reports_bad_input(
    tmp_path: Path, text: str, args: tuple[str, ...], message: str
) -> None:
    path = write_csv(tmp_path, text)
    with pytest.raises(CommandError, match=message):
        call_command("assign_reviewers", path, "--reviews", "1", *args, "--json", stdout=StringIO())


def test_assign_reviewers_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"cannot read .*missing\.csv: No such file"):
        call_command("assign_reviewers", str(tmp_path / "missing.csv"), "--reviews", "1", "--json")


def test_allocation_to_json_equals_json_dumps_with_awkward_ids() -> None:
    cohort = Cohort(ids=('a"b', "ç\\", "x y", "4"))
    allocation = allocate_reviewers(cohort, Rules(2))
    expected = json.dumps(
        {"assignments": [{"reviewer": r, "author": a} for r, a in allocation.pairs()]}
    )
    assert allocation_to_json(allocation) == expected
