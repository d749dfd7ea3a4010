"""Server-side scoring of each question type."""

import pytest

from cohortkit.exercises.gift import parse_gift
from cohortkit.exercises.questions import (
    Scored,
    parse_number,
    score_response,
    with_translated_answers,
)

SINGLE, TRUE_FALSE, NUMERIC, MULTIPLE, SHORT, CASE, MATCHING = parse_gift(
    """
Capital? {=Paris#Yes ~Berlin#Germany ~%50%Lyon#Half}

The sun is a star. {T#Look again#Right}

Pi? {#=3.14:0.01#Close enough =%50%3:0.2}

Primes? {~%50%two#a prime ~%50%three ~%-100%four#not prime ~%-100%six}

A small cat? {=kitten =%50%cat#almost}

Case {=NaCl}

Match {=dog -> woof =cat -> meow =cow -> moo}
"""
)
CASE = CASE.__class__(**{**CASE.__dict__, "case_sensitive": True})


@pytest.mark.parametrize(
    ("question", "response", "expected"),
    [
        (SINGLE, {"choice": 1}, Scored(1.0, True, ("Yes",))),
        (SINGLE, {"choice": "2"}, Scored(0.0, False, ("Germany",))),
        (SINGLE, {"choice": 3}, Scored(0.5, False, ("Half",))),
        (SINGLE, {"choice": 4}, Scored(0.0, False, ())),
        (SINGLE, {"choice": "x"}, Scored(0.0, False, ())),
        (TRUE_FALSE, {"choice": 1}, Scored(1.0, True, ("Right",))),
        (TRUE_FALSE, {"choice": 2}, Scored(0.0, False, ("Look again",))),
        (NUMERIC, {"text": "3,145"}, Scored(1.0, True, ("Close enough",))),
        (NUMERIC, {"text": " 3.13 "}, Scored(1.0, True, ("Close enough",))),
        (NUMERIC, {"text": "3.1"}, Scored(0.5, False, ())),
        (NUMERIC, {"text": "three"}, Scored(0.0, False, ())),
        (MULTIPLE, {"choices": [1, 2]}, Scored(1.0, True, ("a prime",))),
        (MULTIPLE, {"choices": ["1"]}, Scored(0.5, False, ("a prime",))),
        (MULTIPLE, {"choices": [1, 2, 3]}, Scored(0.0, False, ("a prime", "not prime"))),
        (MULTIPLE, {"choices": [1, 1, 9]}, Scored(0.5, False, ("a prime",))),
        (MULTIPLE, {"choices": "1"}, Scored(0.0, False, ())),
        (SHORT, {"text": "  KITTEN "}, Scored(1.0, True, ())),
        (SHORT, {"text": "cat"}, Scored(0.5, False, ("almost",))),
        (SHORT, {"text": ""}, Scored(0.0, False, ())),
        (CASE, {"text": "nacl"}, Scored(0.0, False, ())),
        (CASE, {"text": " NaCl"}, Scored(1.0, True, ())),
        (MATCHING, {"pairs": {"1": "woof", "2": "meow", "3": "moo"}}, Scored(1.0, True, ())),
        (MATCHING, {"pairs": {"1": "meow", "2": "woof", "3": "moo"}}, Scored(1 / 3, False, ())),
        (MATCHING, {"pairs": "woof"}, Scored(0.0, False, ())),
    ],
)
def test_each_type_scores_on_the_server(
    question: object, response: dict[str, object], expected: Scored
) -> None:
    assert score_response(question, response) == expected  # type: ignore[arg-type]


def test_numbers_are_read_as_people_type_them() -> None:
    assert [parse_number(t) for t in ["3.5", "3,5", "\N{MINUS SIGN}2", ".5", "1e3", "1..2", "", "inf"]] == [
        3.5, 3.5, -2.0, 0.5, 1000.0, None, None, None,
    ]  # fmt: skip


def test_a_short_answer_is_also_accepted_in_the_learners_language() -> None:
    spanish = with_translated_answers(SHORT, {1: "gatito", 2: "gato"})
    assert [
        score_response(spanish, {"text": t}) for t in ["Gatito", "gato", "kitten", "perro"]
    ] == [
        Scored(1.0, True, ()),
        Scored(0.5, False, ("almost",)),
        Scored(1.0, True, ()),
        Scored(0.0, False, ()),
    ]
    # Other types score by position or number: translations change nothing.
    assert with_translated_answers(SINGLE, {1: "París"}) == SINGLE
