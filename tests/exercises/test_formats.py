"""GIFT and Aiken: reading real question banks, errors that name the line, round trips."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cohortkit.exercises.aiken import AikenError, parse_aiken, write_aiken
from cohortkit.exercises.gift import GiftError, parse_gift, write_gift
from cohortkit.exercises.questions import (
    MATCHING,
    MULTIPLE,
    NUMERIC,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    ChoiceData,
    QuestionData,
    problems,
)

BANK = r"""// Week 1 question bank
$CATEGORY: $course$/Week 1

::Capital:: What is the capital of France? {
  =Paris#Right, it is.
  ~Berlin#No, that is Germany.
  ~%50%Lyon
  ####Paris has been the capital since 987.
}

::TF::The sun is a star.{T#Look again#Yes}

::Pi::[markdown]What is pi? {#3.14:0.01}

Pick a number from one to five {#1..5}

Which are primes? {~%50%two ~%50%three ~%-100%four}

Name a small cat {=cat =kitten#aww}

::Sounds:: Match these {=dog -> woof =cat -> meow =cow -> moo}

Escapes \{ \} \= \~ \# \: here {=a\=b ~c}

Moodle costs {~lots =nothing ~a small amount} to download.

Two {#=2:0 =%50%2:1#close}
"""


def test_a_gift_bank_reads_into_every_question_type() -> None:
    questions = parse_gift(BANK)
    assert [(q.kind, q.title, q.text, q.line) for q in questions] == [
        (SINGLE, "Capital", "What is the capital of France?", 4),
        (TRUE_FALSE, "TF", "The sun is a star.", 11),
        (NUMERIC, "Pi", "What is pi?", 13),
        (NUMERIC, "", "Pick a number from one to five", 15),
        (MULTIPLE, "", "Which are primes?", 17),
        (SHORT, "", "Name a small cat", 19),
        (MATCHING, "Sounds", "Match these", 21),
        (SINGLE, "", "Escapes { } = ~ # : here", 23),
        (SINGLE, "", "Moodle costs _____ to download.", 25),
        (NUMERIC, "", "Two", 27),
    ]
    capital, true_false, pi, one_to_five, primes, cat, sounds, escapes, _word, two = questions
    assert capital.choices == (
        ChoiceData(text="Paris", weight=100, feedback="Right, it is."),
        ChoiceData(text="Berlin", weight=0, feedback="No, that is Germany."),
        ChoiceData(text="Lyon", weight=50),
    )
    assert capital.explanation == "Paris has been the capital since 987."
    # {T#if wrong#if right}: the false choice (wrong) shows the first feedback.
    assert true_false.choices == (
        ChoiceData(truth=True, weight=100, feedback="Yes"),
        ChoiceData(truth=False, weight=0, feedback="Look again"),
    )
    assert pi.choices == (ChoiceData(number=3.14, tolerance=0.01, weight=100),)
    assert one_to_five.choices == (ChoiceData(number=3.0, tolerance=2.0, weight=100),)
    assert [c.weight for c in primes.choices] == [50, 50, -100]
    assert cat.choices == (
        ChoiceData(text="cat", weight=100),
        ChoiceData(text="kitten", weight=100, feedback="aww"),
    )
    assert [(c.text, c.match) for c in sounds.choices] == [
        ("dog", "woof"),
        ("cat", "meow"),
        ("cow", "moo"),
    ]
    assert [c.text for c in escapes.choices] == ["a=b", "c"]
    assert two.choices == (
        ChoiceData(number=2, tolerance=0, weight=100),
        ChoiceData(number=2, tolerance=1, weight=50, feedback="close"),
    )


def test_the_written_bank_reads_back_the_same() -> None:
    questions = parse_gift(BANK)
    assert parse_gift(write_gift(questions)) == questions


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("Q1 {=a ~b}\n\nQ2 {=a ~b\n", 3, "the answer block is not closed with }"),
        ("Q1 {=a ~b}\n\n// note\nJust a description\n", 4, "no answer block"),
        ("Q1 {}\n", 1, "an empty answer block is an essay"),
        ("\n\nQ1 {#abc}\n", 3, "“abc” is not a number"),
        ("Q1 {#5..1}\n", 1, "a range goes from the smaller number to the larger"),
        ("Q1 {~a ~b}\n", 1, "no choice earns a positive share"),
        ("Q1\n{=a -> b =c}\n", 2, "every pair of a matching question needs =left -> right"),
        ("Q1 {=a ~%150%b}\n", 1, "the weight 150% is outside -100% to 100%"),
        ("Q1 {T#a#b#c}\n", 1, "a true/false answer takes at most two feedbacks"),
        ("Q1 {=a ~b} and {=c ~d}\n", 1, "more than one answer block"),
        ("Q1 {junk =a}\n", 1, "each answer starts with = (right) or ~ (wrong)"),
    ],
)
def test_bad_gift_names_the_line_and_the_problem(source: str, line: int, message: str) -> None:
    with pytest.raises(GiftError) as error:
        parse_gift(source)
    assert (error.value.line, message in error.value.message) == (line, True)


AIKEN = """Is this a question?
A. Yes
B) No
ANSWER: A

Which planet is the largest?
A. Mars
B. Jupiter
C. Venus
ANSWER: B
"""


def test_an_aiken_file_reads_into_single_answer_questions() -> None:
    assert parse_aiken(AIKEN) == [
        QuestionData(
            kind=SINGLE,
            text="Is this a question?",
            choices=(ChoiceData(text="Yes", weight=100), ChoiceData(text="No", weight=0)),
        ),
        QuestionData(
            kind=SINGLE,
            text="Which planet is the largest?",
            choices=(
                ChoiceData(text="Mars", weight=0),
                ChoiceData(text="Jupiter", weight=100),
                ChoiceData(text="Venus", weight=0),
            ),
        ),
    ]


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("Q?\nA. x\nB. y\nANSWER: C\n", 4, "the answer “C” is not one of A, B"),
        ("Q?\nA. x\nC. y\nANSWER: A\n", 3, "option C where B was expected"),
        ("Q?\nA. x\nB. y\n\nNext?\n", 4, "the options end without an ANSWER: line"),
        ("Q?\nA. x\nB. y\n", 1, "the last question has no ANSWER: line"),
        ("Q?\nA. x\nANSWER: A\n", 3, "at least two options"),
        ("Q?\nA. x\nnot an option\n", 3, "an option starts with a capital letter"),
    ],
)
def test_bad_aiken_names_the_line_and_the_problem(source: str, line: int, message: str) -> None:
    with pytest.raises(AikenError) as error:
        parse_aiken(source)
    assert (error.value.line, message in error.value.message) == (line, True)


# Round trips --------------------------------------------------------------------------

# Every character GIFT treats specially, line breaks, right-to-left and other scripts.
_ALPHABET = st.sampled_from(
    [*"ab Zé~=#{}:\\/->%[]$\n日本1.", "\N{ARABIC LETTER MEEM}"]
) | st.characters(
    codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters="\ufeff"
).filter(lambda char: not "\ufdd0" <= char <= "\ufdef")


def _clean(text: str) -> str:
    return text.strip()


texts = st.text(_ALPHABET, min_size=1, max_size=30).map(_clean).filter(bool)
maybe = st.one_of(st.just(""), texts)
weights = st.sampled_from([-100.0, -50.0, -33.33333, 0.0, 25.0, 50.0])
numbers = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12)
tolerances = st.floats(allow_nan=False, allow_infinity=False, min_value=0, max_value=1e6)


@st.composite
def questions(draw: st.DrawFn) -> QuestionData:
    kind = draw(st.sampled_from([SINGLE, MULTIPLE, TRUE_FALSE, SHORT, NUMERIC, MATCHING]))
    base = {"text": draw(texts), "title": draw(maybe), "explanation": draw(maybe)}
    if kind == SINGLE:
        wrong = draw(st.lists(st.tuples(texts, weights, maybe), min_size=1, max_size=4))
        choices = [ChoiceData(text=draw(texts), weight=100, feedback=draw(maybe))]
        choices += [ChoiceData(text=t, weight=w, feedback=f) for t, w, f in wrong]
        choices = draw(st.permutations(choices))
    elif kind == MULTIPLE:
        right = draw(st.integers(1, 3))
        choices = [
            ChoiceData(
                text=draw(texts),
                weight=100 / right if right != 3 else 33.33334,
                feedback=draw(maybe),
            )
            for _ in range(right)
        ]
        choices += [
            ChoiceData(text=draw(texts), weight=draw(st.sampled_from([0.0, -50.0, -100.0])))
            for _ in range(draw(st.integers(1, 3)))
        ]
        choices = draw(st.permutations(choices))
    elif kind == TRUE_FALSE:
        truth = draw(st.booleans())
        choices = sorted(
            [
                ChoiceData(truth=truth, weight=100, feedback=draw(maybe)),
                ChoiceData(truth=not truth, weight=0, feedback=draw(maybe)),
            ],
            key=lambda c: not c.truth,
        )
    elif kind == SHORT:
        choices = [
            ChoiceData(text=t, weight=w, feedback=f)
            for t, w, f in draw(
                st.lists(
                    st.tuples(texts, st.sampled_from([100.0, 50.0]), maybe), min_size=1, max_size=3
                )
            )
        ]
        choices[0] = ChoiceData(text=choices[0].text, weight=100, feedback=choices[0].feedback)
    elif kind == NUMERIC:
        choices = [
            ChoiceData(number=n, tolerance=t, weight=w, feedback=f)
            for n, t, w, f in draw(
                st.lists(
                    st.tuples(numbers, tolerances, st.sampled_from([100.0, 50.0, 0.0]), maybe),
                    min_size=1,
                    max_size=3,
                )
            )
        ]
        choices[0] = ChoiceData(
            number=choices[0].number, tolerance=choices[0].tolerance, weight=100,
            feedback=choices[0].feedback,
        )  # fmt: skip
    else:
        lefts = draw(st.lists(texts, min_size=2, max_size=4, unique=True))
        choices = [ChoiceData(text=left, match=draw(texts), weight=100) for left in lefts]
    question = QuestionData(kind=kind, choices=tuple(choices), **base)
    assert problems(question) == []
    return question


@given(st.lists(questions(), min_size=1, max_size=5))
def test_any_questions_survive_a_gift_round_trip(bank: list[QuestionData]) -> None:
    assert parse_gift(write_gift(bank, comment="exported\nfor a test")) == bank


aiken_texts = (
    st.text(
        st.sampled_from([*"abcXYZ é日本?.()-:", "\N{ARABIC LETTER MEEM}"]), min_size=1, max_size=30
    )
    .map(lambda text: " ".join(text.split()))
    .filter(lambda text: bool(text) and not text.upper().startswith("ANSWER:"))
)


@st.composite
def aiken_questions(draw: st.DrawFn) -> QuestionData:
    options = draw(st.lists(aiken_texts, min_size=2, max_size=6))
    right = draw(st.integers(0, len(options) - 1))
    return QuestionData(
        kind=SINGLE,
        text=draw(
            aiken_texts.filter(lambda t: not (len(t) > 1 and t[0].isupper() and t[1] in ".)"))
        ),
        choices=tuple(
            ChoiceData(text=t, weight=100 if i == right else 0) for i, t in enumerate(options)
        ),
    )


@given(st.lists(aiken_questions(), min_size=1, max_size=5))
def test_any_single_answer_questions_survive_an_aiken_round_trip(bank: list[QuestionData]) -> None:
    assert parse_aiken(write_aiken(bank)) == bank
