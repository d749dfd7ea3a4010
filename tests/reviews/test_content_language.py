"""Read-only peer-review pages show the rubric and the run in the reader's content language,
with the fallback marker where a text is not translated."""

from datetime import UTC, datetime

import pytest
from django.test import Client

from cohortkit.reviews import services
from cohortkit.reviews.models import Review
from tests.factories.reviews import ReviewFactory
from tests.factories.translations import publish_translations
from tests.queries import page_queries
from tests.reviews.conftest import Peer, participants

pytestmark = pytest.mark.django_db
AT = datetime(2021, 3, 25, tzinfo=UTC)
FALLBACK = '<span class="fallback" lang="en">not yet translated</span>'


def _spanish(peer: Peer, *, delivery: bool = True) -> dict[str, str]:
    run = peer.cast.run.slug
    fit, late = peer.criteria
    texts = {
        "course.title": "Curso de alianzas",
        f"run.{run}.title": "Edición de marzo",
        f"reviews.{run}.criterion.{fit.pk}.title": "Afinidad con el socio",
        f"reviews.{run}.criterion.{late.pk}.title": "Presentación",
        f"reviews.{run}.prompt.{peer.prompt.pk}": "¿Qué es lo más sólido?",
    }
    if not delivery:
        del texts[f"reviews.{run}.criterion.{late.pk}.title"]
    return texts


def _submit(review: Review, peer: Peer) -> None:
    fit, delivery = peer.criteria
    services.save_review(
        review,
        scores={str(fit.pk): 4, str(delivery.pk): 3},
        answers={str(peer.prompt.pk): "The map."},
        submit=True,
        at=AT,
    )


def _reader(peer: Peer) -> Client:
    participant = peer.cast.participant
    participant.content_language = "es"
    participant.save(update_fields=["content_language"])
    return peer.cast.client_for("participant")


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


ENGLISH = ["Partner fit", "Delivery", "What is strongest?"]


def test_a_submitted_review_shows_the_rubric_in_the_content_language(peer: Peer) -> None:
    publish_translations(peer.cast.run.course, _spanish(peer))
    _submit(peer.review, peer)

    html = _html(_reader(peer), peer.url("review", pk=peer.review.pk))

    assert "<dt>Afinidad con el socio</dt>" in html
    assert "<dt>Presentación</dt>" in html
    assert "<h4>¿Qué es lo más sólido?</h4>" in html
    assert [text for text in ENGLISH if text in html] == []


def test_results_show_criteria_prompts_and_run_in_the_content_language(peer: Peer) -> None:
    publish_translations(peer.cast.run.course, _spanish(peer))
    for other in peer.others[:2]:
        _submit(ReviewFactory(work=peer.work, reviewer=other), peer)

    html = _html(_reader(peer), peer.url("results"))

    assert '<th scope="row">Afinidad con el socio</th>' in html
    assert '<th scope="row">Presentación</th>' in html
    assert html.count("<h4>¿Qué es lo más sólido?</h4>") == 2
    assert ">Curso de alianzas · Edición de marzo</a></nav>" in html
    assert [text for text in [*ENGLISH, peer.cast.run.title] if text in html] == []


def test_an_untranslated_criterion_shows_the_source_with_the_fallback_marker(peer: Peer) -> None:
    publish_translations(peer.cast.run.course, _spanish(peer, delivery=False))
    _submit(peer.review, peer)
    _submit(ReviewFactory(work=peer.work, reviewer=peer.others[1]), peer)
    client = _reader(peer)

    review = _html(client, peer.url("review", pk=peer.review.pk))
    results = _html(client, peer.url("results"))

    marked = f'<span lang="en" dir="ltr">Delivery</span> {FALLBACK}'
    assert f"<dt>{marked}</dt>" in review
    assert f'<th scope="row">{marked}</th>' in results
    assert "<dt>Afinidad con el socio</dt>" in review


def test_pages_of_the_review_step_name_the_run_in_the_content_language(peer: Peer) -> None:
    publish_translations(peer.cast.run.course, _spanish(peer))
    client = _reader(peer)
    facilitator = peer.cast.facilitator
    facilitator.content_language = "es"
    facilitator.save(update_fields=["content_language"])

    pages = [
        _html(client, peer.url("assigned")),
        _html(client, peer.url("work")),
        _html(peer.cast.client_for("facilitator"), peer.url("overview")),
    ]

    assert [">Curso de alianzas · Edición de marzo</a></nav>" in html for html in pages] == [
        True,
        True,
        True,
    ]
    assert [peer.cast.run.title in html for html in pages] == [False, False, False]


def test_results_in_spanish_make_the_same_number_of_queries_for_one_or_many_reviews(
    peer: Peer,
) -> None:
    publish_translations(peer.cast.run.course, _spanish(peer))
    client = _reader(peer)
    people = [*peer.others, *participants(peer.cast.run, 6)]
    _submit(ReviewFactory(work=peer.work, reviewer=people[0]), peer)
    one = page_queries(client, peer.url("results"))
    for person in people[1:]:
        _submit(ReviewFactory(work=peer.work, reviewer=person), peer)

    many = page_queries(client, peer.url("results"))

    assert Review.objects.filter(work=peer.work, state="submitted").count() == len(people)
    assert many == one
