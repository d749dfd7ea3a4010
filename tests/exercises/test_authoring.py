"""The course team's question pages: each type created and edited through the form as a
person fills it in; a mistake is named on its field, and what was typed stays."""

import html

import pytest
from django.urls import reverse

from cohortkit.exercises.models import Question
from cohortkit.exercises.questions import (
    MATCHING,
    MULTIPLE,
    NUMERIC,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    ChoiceData,
    QuestionData,
    score_response,
)
from tests.conftest import Cast

pytestmark = pytest.mark.django_db


def _url(cast: Cast, world: dict[str, object], question: Question | None = None) -> str:
    kwargs = {"slug": cast.run.course.slug, "run": cast.run.slug, "pk": world["exercise"].pk}  # type: ignore[attr-defined]
    if question is None:
        return reverse("exercises:question_new", kwargs=kwargs)
    return reverse("exercises:question_edit", kwargs={**kwargs, "question": question.pk})


def _rows(*rows: dict[str, object]) -> dict[str, object]:
    return {
        f"choice_{n}_{name}": value
        for n, row in enumerate(rows, start=1)
        for name, value in row.items()
    }


FORMS = {
    SINGLE: (
        {"kind": SINGLE, "title": "Seat", "text": "Where does the council meet?",
         "explanation": "Since its founding.",
         **_rows({"text": "Lindenfeld", "weight": "100", "feedback": "Right."},
                 {"text": "Ostmark", "weight": "0", "feedback": "The archive town."},
                 {"text": "Nordhafen", "weight": "50"})},
        QuestionData(kind=SINGLE, title="Seat", text="Where does the council meet?",
                     explanation="Since its founding.",
                     choices=(ChoiceData(text="Lindenfeld", weight=100, feedback="Right."),
                              ChoiceData(text="Ostmark", weight=0, feedback="The archive town."),
                              ChoiceData(text="Nordhafen", weight=50))),
    ),
    MULTIPLE: (
        {"kind": MULTIPLE, "text": "Which do partners share?",
         **_rows({"text": "time", "weight": "50"}, {"text": "knowledge", "weight": "50"},
                 {"text": "nothing", "weight": "-100", "feedback": "No."})},
        QuestionData(kind=MULTIPLE, text="Which do partners share?",
                     choices=(ChoiceData(text="time", weight=50),
                              ChoiceData(text="knowledge", weight=50),
                              ChoiceData(text="nothing", weight=-100, feedback="No."))),
    ),
    TRUE_FALSE: (
        {"kind": TRUE_FALSE, "text": "Partners must sign a contract.", "truth": "false",
         "feedback_true": "Not always.", "feedback_false": "Right."},
        QuestionData(kind=TRUE_FALSE, text="Partners must sign a contract.",
                     choices=(ChoiceData(truth=True, weight=0, feedback="Not always."),
                              ChoiceData(truth=False, weight=100, feedback="Right."))),
    ),
    SHORT: (
        {"kind": SHORT, "text": "Name the document.", "case_sensitive": "on",
         **_rows({"text": "Agreement"}, {"text": "Contract", "weight": "50", "feedback": "Close."})},
        QuestionData(kind=SHORT, text="Name the document.", case_sensitive=True,
                     choices=(ChoiceData(text="Agreement", weight=100),
                              ChoiceData(text="Contract", weight=50, feedback="Close."))),
    ),
    NUMERIC: (
        {"kind": NUMERIC, "text": "How many weeks?",
         **_rows({"number": "8", "tolerance": "0.5", "feedback": "Yes."},
                 {"number": "10", "tolerance": "2", "weight": "50"})},
        QuestionData(kind=NUMERIC, text="How many weeks?",
                     choices=(ChoiceData(number=8, tolerance=0.5, weight=100, feedback="Yes."),
                              ChoiceData(number=10, tolerance=2, weight=50))),
    ),
    MATCHING: (
        {"kind": MATCHING, "text": "Match each stage.",
         **_rows({"text": "prepare", "match": "know yourself"}, {"text": "negotiate", "match": "agree"})},
        QuestionData(kind=MATCHING, text="Match each stage.",
                     choices=(ChoiceData(text="prepare", match="know yourself", weight=100),
                              ChoiceData(text="negotiate", match="agree", weight=100))),
    ),
}  # fmt: skip


@pytest.mark.parametrize("kind", list(FORMS))
def test_each_type_is_created_and_edited_through_the_form(
    cast: Cast, world: dict[str, object], kind: str
) -> None:
    client = cast.client_for("facilitator")
    data, expected = FORMS[kind]
    response = client.post(_url(cast, world), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    made = Question.objects.filter(exercise=world["exercise"]).order_by("-position").first()
    assert made is not None
    assert made.as_data() == expected
    # The edit form shows what is stored, and saving a change keeps the question's place.
    page = html.unescape(client.get(_url(cast, world, made)).content.decode())
    assert str(data["text"]) in page
    changed = {**data, "text": f"{data['text']} (edited)"}
    assert client.post(_url(cast, world, made), changed).status_code == 302
    made.refresh_from_db()
    assert (made.as_data(), made.position) == (
        QuestionData(**{**expected.__dict__, "text": f"{expected.text} (edited)"}),
        7,  # after the six of the world's exercise
    )


def test_short_answers_follow_the_case_and_spacing_rules_set_in_the_form(
    cast: Cast, world: dict[str, object]
) -> None:
    client = cast.client_for("coordinator")
    data, _ = FORMS[SHORT]
    client.post(_url(cast, world), data)
    strict = Question.objects.get(exercise=world["exercise"], position=7).as_data()
    client.post(_url(cast, world), {**data, "case_sensitive": ""})
    lenient = Question.objects.get(exercise=world["exercise"], position=8).as_data()
    answers = ["Agreement", "  Agreement  ", "agreement", "AGREEMENT", "Agree ment"]
    assert [score_response(strict, {"text": a}).score for a in answers] == [1, 1, 0, 0, 0]
    assert [score_response(lenient, {"text": a}).score for a in answers] == [1, 1, 1, 1, 0]


def test_numeric_answers_count_within_the_tolerance_set_in_the_form(
    cast: Cast, world: dict[str, object]
) -> None:
    cast.client_for("coordinator").post(_url(cast, world), FORMS[NUMERIC][0])
    question = Question.objects.get(exercise=world["exercise"], position=7).as_data()
    given = ["8", "8.5", "7,5", "8.51", "12", "12.01", "eight"]
    assert [score_response(question, {"text": g}).score for g in given] == [
        1, 1, 1, 0.5, 0.5, 0, 0,
    ]  # fmt: skip


MISTAKES = [
    # (kind's form with a mistake, the field's label named, its message, a text that stays)
    ({**FORMS[SINGLE][0], "choice_1_weight": "0"}, "Choice 1: share of the score (%)",
     "Give the right choice a share of 100.", "Lindenfeld"),
    ({**FORMS[SINGLE][0], "choice_1_weight": "150"}, "Choice 1: share of the score (%)",
     "Ensure this value is less than or equal to 100.", "Where does the council meet?"),
    ({"kind": SINGLE, "text": "Only one?", **_rows({"text": "alone", "weight": "100"})},
     "Choice 2: text, accepted answer or left side", "Give at least two choices.", "alone"),
    ({**FORMS[MULTIPLE][0], "choice_2_weight": "20"}, "Choice 1: share of the score (%)",
     "The shares of the right choices must add up to 100.", "knowledge"),
    ({**FORMS[TRUE_FALSE][0], "truth": ""}, "True or false: the right answer",
     "Choose whether the statement is true or false.", "Not always."),
    ({"kind": SHORT, "text": "Name it.", "explanation": "Kept here."},
     "Choice 1: text, accepted answer or left side", "Give at least one accepted answer.",
     "Kept here."),
    ({**FORMS[NUMERIC][0], "choice_1_number": "eight"}, "Choice 1: number", "Enter a number.",
     "How many weeks?"),
    ({**FORMS[NUMERIC][0], "choice_1_tolerance": "-1"}, "Choice 1: tolerance",
     "Ensure this value is greater than or equal to 0.", "How many weeks?"),
    ({**FORMS[MATCHING][0], "choice_2_match": ""}, "Choice 2: matching right side",
     "Give the right side of this pair.", "know yourself"),
    ({**FORMS[MATCHING][0], "choice_3_match": "settle"}, "Choice 3: text, accepted answer or left side",
     "Give the left side of this pair.", "know yourself"),
    ({"kind": MATCHING, "text": "Pair them.", **_rows({"text": "prepare", "match": "know yourself"})},
     "Choice 2: text, accepted answer or left side",
     "A matching question needs at least two pairs.", "Pair them."),
    ({"kind": NUMERIC, "text": "How many days?"}, "Choice 1: number", "Give the right number.",
     "How many days?"),
    ({"kind": NUMERIC, "text": "How many days?", **_rows({"text": "eight"})}, "Choice 1: number",
     "Give the number of this answer.", "How many days?"),
    ({**FORMS[SINGLE][0], "text": ""}, "Question", "This field is required.", "Lindenfeld"),
    ({**FORMS[SINGLE][0], "title": "T" * 256}, "Title (for the course team)",
     "Ensure this value has at most 255 characters (it has 256).", "Where does the council meet?"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "label", "message", "kept"), MISTAKES)
def test_a_mistake_is_named_on_its_field_and_what_was_typed_stays(
    cast: Cast, world: dict[str, object], data: dict[str, object], label: str, message: str,
    kept: str,
) -> None:  # fmt: skip
    response = cast.client_for("coordinator").post(_url(cast, world), data)
    page = html.unescape(response.content.decode())
    summary = page[
        page.index('class="error-summary"') : page.index(
            "</ul>", page.index('class="error-summary"')
        )
    ]
    assert (response.status_code, f"{label}</a>: {message}" in summary, kept in page) == (
        200, True, True,
    ), summary  # fmt: skip
    assert Question.objects.filter(exercise=world["exercise"]).count() == 6
