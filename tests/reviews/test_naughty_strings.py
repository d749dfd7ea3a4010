"""Hostile text in every free-text field: stored as typed, shown escaped, nothing crashes."""

import random
from datetime import UTC, datetime

import pytest
import time_machine

from cohortkit.reviews.models import FinalWork, Review
from tests.payloads import naughty_strings, xss_payloads
from tests.reviews.conftest import Peer

pytestmark = pytest.mark.django_db

# A fixed sample keeps the run short; every XSS payload is tried in the review answers.
SAMPLE = random.Random(6).sample(naughty_strings(), 25)


def _clean(text: str) -> str:
    # Form fields strip surrounding whitespace and normalise newlines, as browsers send them.
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


@time_machine.travel(datetime(2021, 3, 1, tzinfo=UTC), tick=False)
def test_final_work_text_and_title_survive_hostile_strings(peer: Peer) -> None:
    peer.work.delete()
    client = peer.cast.client_for("participant")
    for text in SAMPLE:
        title = text[:200]
        response = client.post(
            peer.url("work"), {"title": title, "text": text, "link": "", "action": "save"}
        )
        assert response.status_code == 302, (text, response.context["form"].errors)
        work = FinalWork.objects.get(author=peer.cast.participant)
        assert (work.title, work.text) == (_clean(title), _clean(text))
        page = client.get(peer.url("work")).content.decode()
        if "<" in text:
            assert text not in page


def test_review_answers_and_flag_notes_escape_every_xss_payload(peer: Peer) -> None:
    payloads = [p for p in xss_payloads() if p.strip()]
    fit, delivery = peer.criteria
    review = Review.objects.create(
        run=peer.cast.run, work=peer.work, reviewer=peer.others[1],
        assigned_at=datetime(2021, 3, 23, tzinfo=UTC),
    )  # fmt: skip
    client = peer.cast.client_for("facilitator")
    for payload in payloads[:: max(1, len(payloads) // 30)]:
        review.state, review.submitted_at = "submitted", datetime(2021, 3, 24, tzinfo=UTC)
        review.scores = {str(fit.pk): 3, str(delivery.pk): 2}
        review.answers = {str(peer.prompt.pk): payload}
        review.is_flagged, review.flag_note = True, payload
        review.save()
        for html in [
            client.get(peer.url("work_detail", pk=peer.work.pk)).content.decode(),
            peer.cast.client_for("participant").get(peer.url("results")).content.decode(),
        ]:
            if "<" in payload:
                assert payload not in html


def test_review_draft_keeps_hostile_answers_exactly(peer: Peer) -> None:
    client = peer.cast.client_for("participant")
    answer = f"answer-{peer.prompt.pk}"
    for text in SAMPLE:
        response = client.post(
            peer.url("review", pk=peer.review.pk), {answer: text, "action": "save"}
        )
        assert response.status_code == 302
        peer.review.refresh_from_db()
        assert peer.review.answers.get(str(peer.prompt.pk), "") == _clean(text)
