"""The self-paced pages (recordings, taking one's certificate) for every role."""

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from cohortkit.courses.models import RunRole
from cohortkit.notifications.models import OutboxMessage
from tests.access import snapshot, view_names
from tests.conftest import ROLES, Cast
from tests.learning.conftest import IN_RUN

URL_NAMES = {"learning:recordings", "learning:claim_certificate"}


def _urls(cast: Cast) -> dict[str, str]:
    run = {"slug": cast.run.course.slug, "run": cast.run.slug}
    return {
        "recordings": reverse("learning:recordings", kwargs=run),
        "claim": reverse("learning:claim_certificate", kwargs=run),
        "modules": reverse("learning:modules", kwargs=run),
    }


def test_the_urls_are_the_ones_declared(cast: Cast) -> None:
    urls = _urls(cast)
    assert view_names([urls["recordings"], urls["claim"]]) == URL_NAMES


@pytest.mark.parametrize("role", ROLES)
def test_recordings_are_for_members_and_claiming_for_participants(cast: Cast, role: str) -> None:
    urls = _urls(cast)
    client = cast.client_for(role)
    before = snapshot(*apps.get_app_config("learning").get_models(), OutboxMessage, RunRole)
    with time_machine.travel(IN_RUN, tick=False):
        seen = (
            client.get(urls["recordings"]).status_code,
            client.get(urls["claim"]).status_code,
            client.post(urls["claim"]).status_code,
        )
    expected = {
        "anonymous": (302, 302, 302),
        "participant": (200, 405, 302),  # a cohort's: refused with a message, nothing issued
        "other_participant": (403, 405, 403),
        "reviewer": (200, 405, 403),
        "facilitator": (200, 405, 403),
        "coordinator": (200, 405, 302),
    }[role]
    assert seen == expected
    assert snapshot(*apps.get_app_config("learning").get_models(), OutboxMessage, RunRole) == before
