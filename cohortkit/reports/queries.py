"""Read-only figures about a run's applications."""

from collections import Counter

from cohortkit.accounts.models import Region
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
