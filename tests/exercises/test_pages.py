"""The learner's exercise page: no answers in the HTML before answering, instant feedback
with htmx and without JavaScript, retries, rate limiting, the content language, and
constant query counts."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohortkit.exercises.models import Answer, Attempt, Exercise
from cohortkit.exercises.services import import_questions
from cohortkit.translations.models import SourceUnit
from cohortkit.translations.services import (
    review_translation,
    save_translation,
    start_language,
    sync_units,
    update_language_version,
)
from tests.conftest import Cast
from tests.exercises.conftest import GIFT, IN_RUN, value_for
from tests.factories import ModuleFactory
from tests.queries import forget_kept_pages, page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _in_run() -> Iterator[None]:
    with time_machine.travel(IN_RUN, tick=False):
        yield


def _url(cast: Cast, name: str, **kwargs: object) -> str:
    return reverse(
        f"exercises:{name}", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, **kwargs}
    )


def _answer_url(cast: Cast, world: dict[str, object], index: int) -> str:
    exercise = world["exercise"]
    question = world["questions"][index]  # type: ignore[index]
    return _url(cast, "answer", pk=exercise.pk, question=question.pk)  # type: ignore[attr-defined]


# Texts only the server may know before the learner answers: feedback, the explanation,
# accepted short answers and weights.
SECRETS = [
    "Yes: aims, risks and work are shared.",
    "A contract may record it",
    "SECRET-WRONG-FEEDBACK",
    "Partners share aims and risks.",
    "Right: not always.",
    "Not always.",
    "agreement",
    "Close: a contract is one kind.",
    "No.",
    "%50%",
    "weight",
    "is_correct",
]


def test_the_page_holds_no_answer_or_feedback_before_answering(
    cast: Cast, world: dict[str, object]
) -> None:
    page = cast.client_for("participant").get(_url(cast, "exercise", pk=world["exercise"].pk))  # type: ignore[attr-defined]
    html = page.content.decode()
    assert (page.status_code, [s for s in SECRETS if s in html]) == (200, [])
    # The questions and their choices are there to answer, and the matching targets are
    # sorted, so their order says nothing about the pairs.
    assert all(
        text in html for text in ["What is a partnership?", "A donation", "agree", "know yourself"]
    )
    assert html.index("agree") < html.index("know yourself") < html.index("share reality")


def test_answering_without_javascript_shows_the_feedback_of_the_choice_and_the_explanation(
    cast: Cast, world: dict[str, object]
) -> None:
    client = cast.client_for("participant")
    question = world["questions"][0]  # type: ignore[index]
    wrong = value_for(question, cast.participant, 2)
    response = client.post(_answer_url(cast, world, 0), {f"q{question.pk}-choice": wrong})
    page_url = _url(cast, "exercise", pk=world["exercise"].pk)  # type: ignore[attr-defined]
    assert (response.status_code, response["Location"]) == (
        302,
        f"{page_url}#question-{question.pk}",
    )
    html = client.get(page_url).content.decode()
    assert [s for s in SECRETS if s in html] == [
        "A contract may record it",
        "Partners share aims and risks.",
    ]
    assert "Not right." in html
    assert list(Answer.objects.values_list("score", "is_correct", "response")) == [
        (0.0, False, {"choice": 2})
    ]


def test_answering_with_htmx_returns_the_question_with_its_feedback(
    cast: Cast, world: dict[str, object]
) -> None:
    question = world["questions"][2]  # type: ignore[index]
    response = cast.client_for("participant").post(
        _answer_url(cast, world, 2),
        {f"q{question.pk}-text": "  Contract "},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert (
        response.status_code,
        html.strip().startswith(f'<li class="question card" id="question-{question.pk}"'),
    ) == (200, True)
    assert (
        "Partly right (50%)." in html,
        "Close: a contract is one kind." in html,
        "agreement" in html,
    ) == (True, True, False)


def test_the_last_answer_with_htmx_reloads_the_page_at_the_question(
    cast: Cast, world: dict[str, object]
) -> None:
    client = cast.client_for("participant")
    for index in range(6):
        question = world["questions"][index]  # type: ignore[index]
        response = client.post(
            _answer_url(cast, world, index),
            {f"q{question.pk}-choice": "1", f"q{question.pk}-text": "x",
             f"q{question.pk}-choices": "1", **{f"q{question.pk}-pair_{n}": "0" for n in (1, 2, 3)}},
            headers={"HX-Request": "true"},
        )  # fmt: skip
    page = _url(cast, "exercise", pk=world["exercise"].pk)  # type: ignore[attr-defined]
    # Only the fragment differs from the page's address: without HX-Refresh htmx would
    # change the address and load nothing (the browser test caught it).
    assert (response.status_code, response["HX-Redirect"], response["HX-Refresh"]) == (
        204, f"{page}#question-{question.pk}", "true",
    )  # fmt: skip
    assert Attempt.objects.get().finished_at == IN_RUN


def test_an_empty_answer_is_refused_with_a_clear_message_and_nothing_stored(
    cast: Cast, world: dict[str, object]
) -> None:
    client = cast.client_for("participant")
    plain = client.post(_answer_url(cast, world, 0), {})
    htmx = client.post(_answer_url(cast, world, 0), {}, headers={"HX-Request": "true"})
    assert (plain.status_code, "Choose an answer." in plain.content.decode()) == (400, True)
    assert (htmx.status_code, "Choose an answer." in htmx.content.decode()) == (200, True)
    assert Answer.objects.count() == 0


def _answer_all(cast: Cast, world: dict[str, object], role: str = "participant") -> None:
    client = cast.client_for(role)
    questions = world["questions"]
    person = cast.users()[role]
    assert person is not None
    right = [
        {"choice": value_for(questions[0], person, 1)},  # type: ignore[index]
        {"choice": "2"},  # true/false keeps its order: true, false
        {"text": "agreement"},
        {"text": "2"},
        {"choices": [value_for(questions[4], person, p) for p in (1, 2)]},  # type: ignore[index]
        None,
    ]
    for index, (question, data) in enumerate(zip(questions, right, strict=True)):  # type: ignore[call-overload]
        if data is None:  # matching: the form offers targets by index in sorted order
            targets = sorted(["know yourself", "agree", "share reality"], key=str.casefold)
            data = {"pair_1": str(targets.index("know yourself")), "pair_2": str(targets.index("agree")),
                    "pair_3": str(targets.index("share reality"))}  # fmt: skip
        response = client.post(
            _answer_url(cast, world, index), {f"q{question.pk}-{k}": v for k, v in data.items()}
        )
        assert response.status_code == 302


def test_answering_every_question_right_scores_100_and_offers_a_retry(
    cast: Cast, world: dict[str, object]
) -> None:
    _answer_all(cast, world)
    attempt = Attempt.objects.get()
    page = cast.client_for("participant").get(_url(cast, "exercise", pk=world["exercise"].pk))  # type: ignore[attr-defined]
    html = page.content.decode()
    assert (attempt.score, attempt.finished_at) == (1.0, IN_RUN)
    assert ("Your score: 100%" in html, "Try again" in html) == (True, True)
    retry = cast.client_for("participant").post(_url(cast, "retry", pk=world["exercise"].pk))  # type: ignore[attr-defined]
    assert (retry.status_code, list(Attempt.objects.values_list("number", flat=True))) == (
        302,
        [1, 2],
    )


def test_answering_is_rate_limited_per_person(
    cast: Cast, world: dict[str, object], settings: object
) -> None:
    client = cast.client_for("participant")
    question = world["questions"][0]  # type: ignore[index]
    statuses = [
        client.post(_answer_url(cast, world, 0), {}, headers={"HX-Request": "true"}).status_code
        for _ in range(21)
    ]
    last = client.post(
        _answer_url(cast, world, 0), {f"q{question.pk}-choice": "1"}, headers={"HX-Request": "true"}
    )
    assert (statuses[:20], statuses[20], last.status_code) == ([200] * 20, 429, 429)
    assert last.content.decode() == "You are answering very fast. Wait a minute, then try again."
    assert Answer.objects.count() == 0


def test_exercise_texts_show_in_the_learners_content_language(
    cast: Cast, world: dict[str, object]
) -> None:
    course = cast.run.course
    sync_units(course)
    version = start_language(course, language="es")
    update_language_version(version, is_published=True, shows_unreviewed=False)
    question = world["questions"][0]  # type: ignore[index]
    unit = SourceUnit.objects.get(
        course=course, key=f"exercises.{cast.run.slug}.question.{question.pk}.text", is_current=True
    )
    at = datetime(2021, 2, 1, tzinfo=UTC)
    review_translation(
        save_translation(
            unit, language="es", text="¿Qué es una alianza?", by=cast.coordinator, at=at
        ),
        by=cast.coordinator,
        at=at,
    )
    cast.participant.content_language = "es"
    cast.participant.save()
    html = (
        cast.client_for("participant")
        .get(_url(cast, "exercise", pk=world["exercise"].pk))
        .content.decode()
    )  # type: ignore[attr-defined]
    assert ("¿Qué es una alianza?" in html, "What is a partnership?" in html) == (True, False)


def test_the_exercise_page_makes_the_same_number_of_queries_for_one_or_many_questions(
    cast: Cast,
) -> None:
    small, _ = import_questions(
        ModuleFactory(run=cast.run, position=5), text="Q {=a ~b}\n", file_format="gift"
    )
    big, _ = import_questions(
        ModuleFactory(run=cast.run, position=6), text="\n".join([GIFT] * 5), file_format="gift"
    )
    client = cast.client_for("participant")
    counts = [page_queries(client, _url(cast, "exercise", pk=e.pk)) for e in (small, big)]
    assert counts[0] == counts[1]


def _answer_queries(client: object, cast: Cast, exercise: Exercise, *, htmx: bool) -> int:
    question = exercise.questions.order_by("position").first()
    url = _url(cast, "answer", pk=exercise.pk, question=question.pk)  # type: ignore[union-attr]
    headers = {"HX-Request": "true"} if htmx else {}
    forget_kept_pages()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, {f"q{question.pk}-choice": "2"}, headers=headers)  # type: ignore[attr-defined, union-attr]
        assert response.status_code == (200 if htmx else 302)
    return len(queries)


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
def test_answering_makes_the_same_number_of_queries_for_two_or_forty_questions(
    cast: Cast, htmx: bool
) -> None:
    one_block = "Q {=a ~b}\n\nR {=c ~d}\n"
    small, _ = import_questions(
        ModuleFactory(run=cast.run, position=5), text=one_block, file_format="gift"
    )
    big, _ = import_questions(
        ModuleFactory(run=cast.run, position=6),
        text="\n".join([one_block] * 20),
        file_format="gift",
    )
    client = cast.client_for("participant")
    counts = [_answer_queries(client, cast, e, htmx=htmx) for e in (small, big)]
    assert (big.questions.count(), counts[0]) == (40, counts[1])
    assert Answer.objects.count() == 2


def test_the_exercise_list_makes_the_same_number_of_queries_for_one_or_many(cast: Cast) -> None:
    import_questions(
        ModuleFactory(run=cast.run, position=1), text="Q {=a ~b}\n", file_format="gift"
    )
    client = cast.client_for("participant")
    one = page_queries(client, _url(cast, "list"))
    for position in range(2, 9):
        import_questions(
            ModuleFactory(run=cast.run, position=position), text="Q {=a ~b}\n", file_format="gift"
        )
    assert (Exercise.objects.count(), page_queries(client, _url(cast, "list"))) == (8, one)
