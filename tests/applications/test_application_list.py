"""The coordinator's list: filters, a fixed number of queries, and a safe CSV export."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from cohortkit.courses.spreadsheets import safe_cell
from tests.factories import RunFactory, UserFactory
from tests.factories.applications import (
    ApplicationFactory,
    ApplicationReviewFactory,
    DecisionFactory,
    OfferFactory,
)
from tests.queries import page_queries


def fill(run, count: int) -> None:
    for i in range(count):
        application = ApplicationFactory(run=run, region="africa" if i % 2 else "europe")
        ApplicationReviewFactory(
            application=application, score=3.0, submitted_at=application.submitted_at
        )
        DecisionFactory(application=application)
        OfferFactory(application=application)


@pytest.mark.parametrize("name", ["applications:list", "applications:export"])
def test_list_makes_the_same_number_of_queries_for_one_or_many_rows(db: None, name: str) -> None:
    small, large = RunFactory(), RunFactory()
    fill(small, 1)
    fill(large, 25)
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    counts = [
        page_queries(client, reverse(name, kwargs={"slug": run.course.slug, "run": run.slug}))
        for run in (small, large)
    ]
    assert counts[0] == counts[1]


def test_list_filters_by_region(db: None) -> None:
    run = RunFactory()
    ApplicationFactory(run=run, region="africa", applicant__display_name="Afua")
    ApplicationFactory(run=run, region="europe", applicant__display_name="Eero")
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    url = reverse("applications:list", kwargs={"slug": run.course.slug, "run": run.slug})
    page = client.get(url, {"region": "africa"}).content.decode()
    assert ("Afua" in page, "Eero" in page) == (True, False)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
        ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"), ("\rcmd", "'\rcmd"), ("plain", "plain"), ("", ""), (None, ""),
    ],
)  # fmt: skip
def test_csv_cells_that_look_like_formulas_get_a_quote(value: object, expected: str) -> None:
    assert safe_cell(value) == expected


def test_csv_export_neutralises_formula_injection_in_answers(db: None) -> None:
    run = RunFactory()
    ApplicationFactory(
        run=run, home_community="=cmd|' /C calc'!A0", applicant__display_name="@evil"
    )
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    response = client.get(
        reverse("applications:export", kwargs={"slug": run.course.slug, "run": run.slug})
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert (rows[0]["name"], rows[0]["home_community"]) == ("'@evil", "'=cmd|' /C calc'!A0")


def test_list_names_the_experience_level_not_its_code(db: None) -> None:
    run = RunFactory()
    ApplicationFactory(run=run, experience="intermediate", applicant__display_name="Afua")
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    url = reverse("applications:list", kwargs={"slug": run.course.slug, "run": run.slug})
    page = client.get(url).content.decode()
    assert "<td>Intermediate: one to five years</td>" in page
    assert "<td>intermediate</td>" not in page


def test_a_long_list_comes_a_page_at_a_time_keeping_the_filters(db: None) -> None:
    run = RunFactory()
    for i in range(1, 104):
        ApplicationFactory(
            run=run, region="africa" if i <= 102 else "europe", applicant__display_name=f"P{i:03d}"
        )
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    url = reverse("applications:list", kwargs={"slug": run.course.slug, "run": run.slug})

    first = client.get(url, {"region": "africa"}).content.decode()
    second = client.get(url, {"region": "africa", "page": "2"}).content.decode()
    beyond = client.get(url, {"region": "africa", "page": "x"}).content.decode()

    assert ("P001" in first, "P100" in first, "P101" in first) == (True, True, False)
    assert "Applications 1 to 100" in first
    # Each row's state and region by their labels (read once per column, not per row).
    assert ">P001</a></td>\n    <td>Submitted</td><td>Africa</td>" in first
    assert 'href="?region=africa&amp;page=2">Next</a>' in first
    assert ("P100" in second, "P101" in second, "P102" in second, "P103" in second) == (
        False,
        True,
        True,
        False,
    )
    assert "Applications 101 to 102" in second
    assert 'href="?region=africa&amp;page=1">Previous</a>' in second
    assert ">Next</a>" not in second
    assert "P001" in beyond  # not a page number: the first page
