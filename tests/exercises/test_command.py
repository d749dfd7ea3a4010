"""`cohortkit exercises import|export` on the command line.

These tests commit (`transaction=True`), as the command does: the translation units are
synced after the commit, as in real use, and the command's closing of the database
connection at its end (Django's `run_from_argv`) is what PostgreSQL sees in production too.
"""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from cohortkit.__main__ import main
from cohortkit.exercises.gift import parse_gift
from cohortkit.exercises.models import Choice, Exercise, Question
from cohortkit.translations.models import SourceUnit
from tests.exercises.conftest import GIFT
from tests.factories import ModuleFactory, RunFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def runs() -> tuple[object, object]:
    old = RunFactory(slug="2021")
    new = RunFactory(course=old.course, slug="2027", starts_on=old.starts_on.replace(year=2027))
    for run in (old, new):
        ModuleFactory(run=run, position=1)
        ModuleFactory(run=run, position=2)
    return old, new


def test_import_then_export_round_trips_through_the_cohortkit_command(
    runs: tuple[object, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = runs
    bank = tmp_path / "bank.gift"
    bank.write_text(GIFT, encoding="utf-8")
    slug = old.course.slug  # type: ignore[attr-defined]
    main(
        [
            "cohortkit",
            "exercises",
            "import",
            str(bank),
            "--course",
            slug,
            "--module",
            "2",
            "--format",
            "gift",
        ]
    )
    assert capsys.readouterr().out == (
        "6 questions imported into “Check your understanding” (run 2027, module 2).\n"
    )
    exercise = Exercise.objects.get()
    assert (exercise.run, exercise.module.position) == (new, 2)
    main(["cohortkit", "exercises", "export", slug, "--format", "gift"])
    exported = capsys.readouterr().out
    assert "$CATEGORY: $course$/" + slug + "/module-2" in exported
    assert parse_gift(exported) == parse_gift(GIFT)
    # --run picks another run; Aiken is read too.
    aiken = tmp_path / "bank.txt"
    aiken.write_text("Pick B\nA. no\nB. yes\nANSWER: B\n", encoding="utf-8")
    call_command("exercises", "import", str(aiken), "--course", slug, "--module", "1",
                 "--format", "aiken", "--run", "2021", "--title", "Warm-up")  # fmt: skip
    assert list(Exercise.objects.filter(run=old).values_list("title", "module__position")) == [
        ("Warm-up", 1)
    ]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--course", "nope", "--module", "1"], "No course with the slug “nope”."),
        (["--module", "1", "--run", "1999"], "has no run “1999”."),
        (["--module", "9"], "Run “2027” has no module 9."),
    ],
)
def test_import_refuses_unknown_course_run_or_module(
    runs: tuple[object, object], tmp_path: Path, arguments: list[str], message: str
) -> None:
    bank = tmp_path / "bank.gift"
    bank.write_text(GIFT, encoding="utf-8")
    course = ["--course", runs[0].course.slug]  # type: ignore[attr-defined]
    with pytest.raises(CommandError) as error:
        call_command("exercises", "import", str(bank), *course, *arguments, "--format", "gift")
    assert message in str(error.value)
    assert Question.objects.count() == 0


def test_a_bad_file_names_the_line_and_imports_nothing(
    runs: tuple[object, object], tmp_path: Path
) -> None:
    bank = tmp_path / "bank.gift"
    bank.write_text(GIFT + "\n::Bad:: Unclosed {=a ~b\n", encoding="utf-8")
    slug = runs[0].course.slug  # type: ignore[attr-defined]
    with pytest.raises(CommandError) as error:
        call_command(
            "exercises", "import", str(bank), "--course", slug, "--module", "1", "--format", "gift"
        )
    assert str(error.value) == (
        "bank.gift: Line 18: the answer block is not closed with }. Nothing was imported."
    )
    assert (Exercise.objects.count(), Question.objects.count()) == (0, 0)


def _import(path: Path, slug: str, *extra: str) -> None:
    main(["cohortkit", "exercises", "import", str(path), "--course", slug, "--module", "1",
          "--format", "gift", *extra])  # fmt: skip


def test_long_texts_import_whole_and_their_units_are_synced_after_commit(
    runs: tuple[object, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Every text of a question is unlimited (TextField); a title takes Moodle's 255.
    long = "A long sentence about partnerships, " * 300  # 10,800 characters
    title = "T" * 255
    bank = tmp_path / "long.gift"
    bank.write_text(
        f"::{title}:: {long} {{\n={long}#{long}\n~W{long}#{long}\n####{long}\n}}\n\n"
        f"{long} {{={long} -> {long} =b -> c}}\n",
        encoding="utf-8",
    )
    slug = runs[0].course.slug  # type: ignore[attr-defined]
    _import(bank, slug)
    assert capsys.readouterr().out.startswith("2 questions imported")
    first, second = Question.objects.order_by("position")
    assert (first.title, first.text, first.explanation, second.text) == (
        title, long.strip(), long.strip(), long.strip(),
    )  # fmt: skip
    assert sorted(len(t) for t in Choice.objects.values_list("text", flat=True)) == [
        1, len(long.strip()), len(long.strip()), len(long.strip()) + 1,
    ]  # fmt: skip
    units = SourceUnit.objects.filter(
        course__slug=slug, key__startswith="exercises.", is_current=True
    )
    # Two question texts, a choice, two feedbacks, the explanation, both sides of a pair.
    assert units.filter(text=long.strip()).count() == 8


def test_a_title_too_long_names_the_line_and_imports_nothing(
    runs: tuple[object, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = tmp_path / "bank.gift"
    bank.write_text(GIFT + f"\n::{'T' * 256}:: Q {{=a ~b}}\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_status:
        _import(bank, runs[0].course.slug)  # type: ignore[attr-defined]
    assert (exit_status.value.code, capsys.readouterr().err) == (
        1,
        "CommandError: bank.gift: Line 18: the title is 256 characters long; at most 255 fit."
        " Nothing was imported.\n",
    )
    assert (Exercise.objects.count(), Question.objects.count()) == (0, 0)


def test_an_exercise_title_too_long_is_refused_by_name(
    runs: tuple[object, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = tmp_path / "bank.gift"
    bank.write_text(GIFT, encoding="utf-8")
    with pytest.raises(SystemExit):
        _import(bank, runs[0].course.slug, "--title", "X" * 201)  # type: ignore[attr-defined]
    assert capsys.readouterr().err == (
        "CommandError: bank.gift: The exercise's title is 201 characters long; at most 200 fit."
        " Nothing was imported.\n"
    )
    assert (Exercise.objects.count(), Question.objects.count()) == (0, 0)
