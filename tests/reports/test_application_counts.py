import pytest
from django.test import Client
from django.urls import reverse

from cohortkit.reports.queries import application_counts
from tests.factories import RunFactory, UserFactory
from tests.factories.applications import ApplicationFactory


@pytest.fixture
def run(db: None):
    run = RunFactory()
    ApplicationFactory(run=run, region="africa", timezone="Africa/Lagos", languages=["en", "fr"])
    ApplicationFactory(run=run, region="africa", timezone="Asia/Kolkata", languages=["en"])
    ApplicationFactory(run=run, region="europe", timezone="Asia/Kolkata", languages=["de"])
    ApplicationFactory(run=run, region="europe", state="draft", submitted_at=None)
    return run


def test_counts_submitted_applications_by_region_zone_and_language(run) -> None:
    assert application_counts(run) == {
        "region": [("Africa", 2), ("Europe", 1)],
        "timezone": [("Asia/Kolkata", 2), ("Africa/Lagos", 1)],
        "language": [("en", 2), ("fr", 1), ("de", 1)],
    }


def test_report_page_shows_tables_and_svg_charts_as_images(run) -> None:
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    kwargs = {"slug": run.course.slug, "run": run.slug}
    page = client.get(reverse("reports:applications", kwargs=kwargs)).content.decode()
    chart_url = reverse("reports:applications_chart", kwargs={**kwargs, "dimension": "timezone"})
    assert (f'src="{chart_url}"' in page, "Asia/Kolkata" in page, "<svg" in page) == (
        True,
        True,
        False,
    )
    svg = client.get(chart_url)
    assert (svg.status_code, svg["Content-Type"]) == (200, "image/svg+xml")
    assert b"Asia/Kolkata" in svg.content
    assert (
        client.get(
            reverse("reports:applications_chart", kwargs={**kwargs, "dimension": "x"})
        ).status_code
        == 404
    )
