import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

CSV = """id,score,region,languages
a1,4.5,Africa,en;fr
a2,4.0,Europe,en
a3,3.5,Africa,fr
a4,3.0,Europe,es
a5,2.0,Asia,en
"""


@pytest.fixture
def applications(tmp_path: Path) -> Path:
    path = tmp_path / "applications.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def run(*args: str) -> str:
    out = StringIO()
    call_command("select_applicants", *args, stdout=out)
    return out.getvalue()


def test_select_applicants_prints_one_json_object(applications: Path) -> None:
    output = run(
        str(applications),
        "--seats",
        "3",
        "--at-least",
        "region=Asia:1",
        "--at-most",
        "region=Africa:1",
        "--json",
    )

    assert json.loads(output) == {
        "selected": ["a1", "a2", "a5"],
        "waitlist": ["a3", "a4"],
        "total_score": 10.5,
    }
    assert output.count("\n") == 1


def test_select_applicants_matches_one_answer_in_a_cell_with_several(applications: Path) -> None:
    output = run(str(applications), "--seats", "2", "--at-least", "languages=es:1", "--json")

    assert json.loads(output)["selected"] == ["a1", "a4"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--at-least", "region=Africa:3"],
            "at-least region=Africa:3 cannot hold: only 2 applicants match",
        ),
        (["--at-least", "region"], "--at-least 'region': expected COLUMN=VALUE:COUNT"),
        (["--at-most", "country=NL:1"], "at-most country=NL:1: unknown column 'country'"),
        (["--seats", "-1"], "--seats must not be negative"),
    ],
)
def test_select_applicants_fails_naming_the_problem(
    applications: Path, extra: list[str], message: str
) -> None:
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(
            "select_applicants", str(applications), "--seats", "3", *extra, "--json", stdout=out
        )

    assert message in str(raised.value)
    assert out.getvalue() == ""


def test_select_applicants_names_the_line_of_a_bad_score(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,score\na,1\nb,lots\n", encoding="utf-8")

    with pytest.raises(CommandError, match=r"line 3, column score: 'lots' is not a number"):
        run(str(path), "--seats", "1", "--json")


def test_select_applicants_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "missing.csv"), "--seats", "1", "--json")
