"""Asking for help is for participants, answering for facilitators and coordinators."""

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse

from cohortkit.courses.models import RunRole
from cohortkit.learning.models import HelpRequest
from cohortkit.notifications.models import OutboxMessage
from tests.access import snapshot, view_names
from tests.conftest import ROLES, Cast
from tests.learning.conftest import IN_RUN

URL_NAMES = {"learning:ask_help", "learning:answer_help"}


def _run(cast: Cast) -> dict[str, str]:
    return {"slug": cast.run.course.slug, "run": cast.run.slug}


def test_the_urls_are_the_ones_declared(cast: Cast) -> None:
    urls = [
        reverse("learning:ask_help", kwargs=_run(cast)),
        reverse("learning:answer_help", kwargs={**_run(cast), "pk": 1}),
    ]
    assert view_names(urls) == URL_NAMES


@pytest.mark.parametrize("role", ROLES)
def test_asking_is_for_participants_and_answering_for_staff(cast: Cast, role: str) -> None:
    mine = HelpRequest.objects.create(
        run=cast.run, participant=cast.participant, kind="pause", created_at=IN_RUN
    )
    other = HelpRequest.objects.create(
        run=cast.other_run, participant=cast.other_participant, kind="pause", created_at=IN_RUN
    )
    client = cast.client_for(role)
    ask = reverse("learning:ask_help", kwargs=_run(cast))
    answer = reverse("learning:answer_help", kwargs={**_run(cast), "pk": mine.pk})
    answer_other = reverse("learning:answer_help", kwargs={**_run(cast), "pk": other.pk})
    before = snapshot(*apps.get_app_config("learning").get_models(), OutboxMessage, RunRole)
    with time_machine.travel(IN_RUN, tick=False):
        gets = (client.get(ask).status_code, client.get(answer).status_code)
        assert (
            snapshot(*apps.get_app_config("learning").get_models(), OutboxMessage, RunRole)
            == before
        )
        refused_other = client.post(answer_other, {"decision": "decline"}).status_code
    expected = {
        "anonymous": ((302, 302), 302),
        "participant": ((200, 405), 403),
        "other_participant": ((403, 405), 403),
        "reviewer": ((403, 405), 403),
        "facilitator": ((403, 405), 404),
        "coordinator": ((200, 405), 404),  # coordinators pass every check
    }[role]
    assert (gets, refused_other) == expected
