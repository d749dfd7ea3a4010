"""Hostile strings (tests/payloads.py, tests/hostile.py) in every text of an exercise: the
question and its title, choices, matching sides, accepted short answers, feedback and the
explanation. Each is stored exactly (on PostgreSQL too, where a CharField's length is
enforced) and shown as text, never live: on the learner's page before and after answering
(htmx and plain), the course team's list and edit form, the item analysis, its CSV and
its SVG chart."""

from collections.abc import Iterator
from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from cohortkit.exercises.models import Exercise, Question
from cohortkit.exercises.questions import (
    MATCHING,
    MULTIPLE,
    SHORT,
    SINGLE,
    TITLE_MAX,
    TRUE_FALSE,
    ChoiceData,
    QuestionData,
)
from cohortkit.exercises.services import add_questions, answer_question
from tests.conftest import Cast
from tests.exercises.conftest import IN_RUN
from tests.factories import ModuleFactory
from tests.hostile import HOSTILE, MARKER, live_elements
from tests.payloads import sampled_strings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_run() -> Iterator[None]:
    with time_machine.travel(IN_RUN, tick=False):
        yield


def _single(text: str) -> QuestionData:
    return QuestionData(
        kind=SINGLE,
        text=text,
        title=text[:TITLE_MAX],
        explanation=text,
        choices=(
            ChoiceData(text=f"{text} right", weight=100, feedback=text),
            ChoiceData(text=f"{text} wrong", weight=0, feedback=f"{text} (wrong)"),
        ),
    )


def _every_kind(text: str) -> list[QuestionData]:
    return [
        _single(text),
        QuestionData(kind=MULTIPLE, text=text, explanation=text, choices=(
            ChoiceData(text=f"{text} 1", weight=100, feedback=text),
            ChoiceData(text=f"{text} 2", weight=-100, feedback=text))),
        QuestionData(kind=TRUE_FALSE, text=text, explanation=text, choices=(
            ChoiceData(truth=True, weight=100, feedback=text),
            ChoiceData(truth=False, weight=0, feedback=text))),
        QuestionData(kind=SHORT, text=text, explanation=text, choices=(
            ChoiceData(text=text, weight=100, feedback=text),)),
        QuestionData(kind=MATCHING, text=text, explanation=text, choices=(
            ChoiceData(text=f"{text} left 1", match=f"{text} right 1", weight=100),
            ChoiceData(text=f"{text} left 2", match=f"{text} right 2", weight=100))),
    ]  # fmt: skip


def _exercise(cast: Cast, position: int, questions: list[QuestionData]) -> Exercise:
    module = ModuleFactory(run=cast.run, position=position, release_week=0)
    exercise = Exercise.objects.create(run=cast.run, module=module, title="Hostile")
    add_questions(exercise, questions)
    return exercise


def _url(cast: Cast, name: str, **kwargs: object) -> str:
    return reverse(
        f"exercises:{name}", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, **kwargs}
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.count = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.count += 1


def tags(html: str) -> int:
    parser = _Tags()
    parser.feed(html)
    return parser.count


def test_every_sampled_string_is_stored_exactly_and_shown_as_text(cast: Cast) -> None:
    strings = sampled_strings()
    hostile = _exercise(cast, 1, [_single(s) for s in strings])
    plain = _exercise(cast, 2, [_single(f"plain text {n}") for n in range(len(strings))])
    stored = [q.as_data() for q in hostile.questions.order_by("position")]
    assert stored == [_single(s) for s in strings]
    client = cast.client_for("participant")
    for exercise in (hostile, plain):
        for question in exercise.questions.order_by("position"):
            answer_question(question, user=cast.participant, response={"choice": 2}, at=IN_RUN)

    def page(exercise: Exercise, name: str = "exercise") -> str:
        response = client.get(_url(cast, name, pk=exercise.pk))
        assert response.status_code == 200
        return response.content.decode()

    answered = page(hostile)
    # Every text is on the page escaped; the page has exactly the elements of the same
    # page with plain texts, so no string added one.
    missing = [s for s in strings if escape(s).strip() not in answered]
    assert (missing, tags(answered)) == ([], tags(page(plain)))
    staff = cast.client_for("coordinator")
    for name in ("edit", "analysis"):
        one = staff.get(_url(cast, name, pk=hostile.pk)).content.decode()
        other = staff.get(_url(cast, name, pk=plain.pk)).content.decode()
        assert tags(one) == tags(other), name


def test_the_hostile_payload_is_never_live_on_any_exercise_page(cast: Cast) -> None:
    exercise = _exercise(cast, 1, _every_kind(HOSTILE))
    assert [q.as_data() for q in exercise.questions.order_by("position")] == _every_kind(HOSTILE)
    learner = cast.client_for("participant")
    pages = {"before answering": learner.get(_url(cast, "exercise", pk=exercise.pk))}
    first, second, third, fourth, fifth = exercise.questions.order_by("position")
    pages["answered with htmx"] = learner.post(
        _url(cast, "answer", pk=exercise.pk, question=first.pk),
        {f"q{first.pk}-choice": "2"},
        headers={"HX-Request": "true"},
    )
    pages["a short answer typed"] = learner.post(
        _url(cast, "answer", pk=exercise.pk, question=fourth.pk),
        {f"q{fourth.pk}-text": HOSTILE},
        headers={"HX-Request": "true"},
    )
    pages["an invalid answer, plain"] = learner.post(
        _url(cast, "answer", pk=exercise.pk, question=second.pk), {}
    )
    for question, response in [(second, {"choices": [1, 2]}), (third, {"choice": 2}),
                               (fifth, {"pairs": {"1": "x"}})]:  # fmt: skip
        answer_question(question, user=cast.participant, response=response, at=IN_RUN)
    pages["after answering"] = learner.get(_url(cast, "exercise", pk=exercise.pk))
    pages["the list"] = learner.get(_url(cast, "list"))
    staff = cast.client_for("facilitator")
    pages["authoring"] = staff.get(_url(cast, "edit", pk=exercise.pk))
    for question in (first, fourth, fifth):
        pages[f"editing {question.kind}"] = staff.get(
            _url(cast, "question_edit", pk=exercise.pk, question=question.pk)
        )
    pages["item analysis"] = staff.get(_url(cast, "analysis", pk=exercise.pk))
    live = {
        name: live_elements(response.content.decode())
        for name, response in pages.items()
        if response.status_code in (200, 400)
    }
    assert (len(live), {name: found for name, found in live.items() if found}) == (len(pages), {})
    shown = pages["after answering"].content.decode()
    assert shown.count(escape(HOSTILE)) >= 8  # text, feedback, explanation, answer

    chart = staff.get(_url(cast, "analysis_chart", pk=exercise.pk, question=first.pk))
    svg = chart.content.decode()
    # Well-formed: the payload did not break out. Our own response, parsed in a test.
    ElementTree.fromstring(chart.content)  # noqa: S314 — our own response, said above
    assert ("<script" not in svg, live_elements(svg), chart["Content-Security-Policy"]) == (
        True, [], "default-src 'none'; style-src 'unsafe-inline'",
    )  # fmt: skip
    csv = staff.get(_url(cast, "analysis_csv", pk=exercise.pk)).content.decode("utf-8-sig")
    assert MARKER in csv  # the text is there, as a quoted cell (the CSV writer's own tests)
    assert Question.objects.filter(exercise=exercise).count() == 5
