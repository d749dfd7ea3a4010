"""The progress grid as a spreadsheet: every participant (not one page), every module."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.urls import reverse

from cohortkit.courses.models import Role
from cohortkit.courses.spreadsheets import safe_cell
from cohortkit.learning.models import TopicCompletion
from tests.conftest import Cast
from tests.factories import ModuleFactory, RunRoleFactory, TopicFactory, UserFactory
from tests.payloads import sampled_strings
from tests.queries import page_queries
from tests.spreadsheets import read_csv

DONE = datetime(2021, 2, 3, tzinfo=UTC)


def _url(cast: Cast) -> str:
    return reverse("learning:grid_csv", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug})


def test_the_progress_csv_has_every_participant_and_module(cast: Cast, tmp_path: Path) -> None:
    first = ModuleFactory(run=cast.run, position=1)
    second = ModuleFactory(run=cast.run, position=2)
    topics = [TopicFactory(module=first), TopicFactory(module=first), TopicFactory(module=second)]
    formula = UserFactory(
        display_name='=HYPERLINK("http://evil.example","x")', email="f@example.org"
    )
    RunRoleFactory(run=cast.run, user=formula, role=Role.PARTICIPANT)
    for topic in topics[:2]:
        TopicCompletion.objects.create(user=cast.participant, topic=topic, done_at=DONE)
    TopicCompletion.objects.create(user=cast.other_participant, topic=topics[2], done_at=DONE)

    response = cast.client_for("facilitator").get(_url(cast))

    assert response["Content-Disposition"] == (
        f'attachment; filename="progress-{cast.run.course.slug}-{cast.run.slug}.csv"'
    )
    assert sorted(read_csv(response, tmp_path)[1:]) == [
        ["'=HYPERLINK(\"http://evil.example\",\"x\")", "f@example.org", "0", "2", "", "0", "1", "", "0", "3", "0"],
        ["Participant", cast.participant.email, "2", "2", "", "0", "1", "", "2", "3", "67"],
    ]  # fmt: skip
    assert read_csv(response, tmp_path)[0] == [
        "Participant", "E-mail",
        "Module 1: topics done", "Module 1: topics", "Module 1: exercise score (%)",
        "Module 2: topics done", "Module 2: topics", "Module 2: exercise score (%)",
        "Topics done", "Topics", "Overall (%)",
    ]  # fmt: skip


def test_the_progress_csv_is_not_one_page_of_the_grid(cast: Cast, tmp_path: Path) -> None:
    for _ in range(60):
        RunRoleFactory(run=cast.run, role=Role.PARTICIPANT)

    rows = read_csv(cast.client_for("coordinator").get(_url(cast)), tmp_path)

    assert len(rows) == 1 + 61


def test_hostile_names_come_back_as_text(cast: Cast, tmp_path: Path) -> None:
    names = [name for name in sampled_strings() if name.strip() and "\r" not in name][:30]
    for name in names:
        RunRoleFactory(
            run=cast.run, user=UserFactory(display_name=name[:150]), role=Role.PARTICIPANT
        )

    rows = read_csv(cast.client_for("coordinator").get(_url(cast)), tmp_path)

    # As the shared writer writes any cell (a formula-like one behind an apostrophe).
    assert {safe_cell(name[:150]) for name in names} <= {row[0] for row in rows[1:]}


@pytest.mark.parametrize("people", [1, 30])
def test_the_progress_csv_reads_a_constant_number_of_queries(cast: Cast, people: int) -> None:
    ModuleFactory(run=cast.run)
    for _ in range(people - 1):
        RunRoleFactory(run=cast.run, role=Role.PARTICIPANT)

    assert page_queries(cast.client_for("coordinator"), _url(cast)) == 10
