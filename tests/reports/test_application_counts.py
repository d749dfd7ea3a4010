import zoneinfo

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


def test_a_chart_of_the_largest_zones_only_says_so_in_its_caption_and_on_the_page(db: None) -> None:
    run = RunFactory()
    zones = sorted(zoneinfo.available_timezones())[:35]
    for index, zone in enumerate(zones):
        for _ in range(1 + index % 3):
            ApplicationFactory(run=run, timezone=zone, region="africa")
    client = Client()
    client.force_login(UserFactory(is_staff=True))
    kwargs = {"slug": run.course.slug, "run": run.slug}
    caption = "The chart shows the 20 largest of 35; the table lists them all."

    page = client.get(reverse("reports:applications", kwargs=kwargs)).content.decode()
    svg = client.get(
        reverse("reports:applications_chart", kwargs={**kwargs, "dimension": "timezone"})
    ).content.decode()
    regions = client.get(
        reverse("reports:applications_chart", kwargs={**kwargs, "dimension": "region"})
    ).content.decode()

    assert page.count(f"<figcaption>{caption}</figcaption>") == 1
    assert caption in svg
    assert sum(zone in svg for zone in zones) == 20
    assert "largest" not in regions
    assert all(zone in page for zone in zones)
