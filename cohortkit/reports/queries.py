"""Read-only figures about a run's applications."""

from collections import Counter

from django.db.models import Count

from cohortkit.accounts.models import PrivacyRequest, PrivacyRequestKind, Region
from cohortkit.applications.models import Application, ApplicationState
from cohortkit.courses.models import Run


def application_counts(run: Run) -> dict[str, list[tuple[str, int]]]:
    """Submitted applications counted by region, time zone and language (most first).

    One query; a person speaking three languages counts once for each.
    """
    rows = Application.objects.filter(run=run, state=ApplicationState.SUBMITTED).values_list(
        "region", "timezone", "languages"
    )
    regions: Counter[str] = Counter()
    zones: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    labels = dict(Region.choices)
    for region, zone, spoken in rows:
        regions[str(labels.get(region, region or "—"))] += 1
        zones[zone or "—"] += 1
        languages.update(spoken or [])
    return {
        "region": regions.most_common(),
        "timezone": zones.most_common(),
        "language": languages.most_common(),
    }


def privacy_request_counts() -> dict[str, int]:
    """Site-wide: how many people downloaded their data and deleted their account."""
    counts = dict(
        PrivacyRequest.objects.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")
    )
    return {kind: counts.get(kind, 0) for kind in PrivacyRequestKind.values}
