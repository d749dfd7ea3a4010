"""Questions as plain data, their checks, and scoring: no Django here.

The GIFT and Aiken readers produce `QuestionData`, the authoring forms build it, the
import service stores it, and `score_response` scores a learner's response against it, so
one definition of each question type serves all of them. Kinds are the values of
`models.Kind`.
"""

import math
import random
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true-false"
SHORT = "short"
NUMERIC = "numeric"
MATCHING = "matching"
KINDS = (SINGLE, MULTIPLE, TRUE_FALSE, SHORT, NUMERIC, MATCHING)
CHOICE_KINDS = (SINGLE, MULTIPLE, TRUE_FALSE)

# The longest question title (Moodle's limit for a question's name); titles are for the
# course team's lists, the question's text itself has no limit.
TITLE_MAX = 255

# A numeric answer within tolerance, up to floating-point rounding of the bounds.
_EPSILON = 1e-9


@dataclass(frozen=True)
class ChoiceData:
    text: str = ""
    weight: float = 0.0  # per cent of the question's score
    feedback: str = ""
    match: str = ""  # matching: the right-hand side
    number: float | None = None  # numeric
    tolerance: float = 0.0
    truth: bool | None = None  # true/false


@dataclass(frozen=True)
class QuestionData:
    kind: str
    text: str
    title: str = ""
    explanation: str = ""
    choices: tuple[ChoiceData, ...] = ()
    case_sensitive: bool = False
    line: int = field(default=0, compare=False)  # where it starts in an imported file


@dataclass(frozen=True)
class Scored:
    score: float  # 0..1
    is_correct: bool
    feedback: tuple[str, ...]  # the feedback of what the learner chose or matched


def problems(question: QuestionData) -> list[str]:
    """What makes the question unusable, in plain words (empty when it is fine)."""
    if question.kind not in KINDS:
        return [f"unknown question type “{question.kind}”"]
    found = []
    if not question.text.strip():
        found.append("the question has no text")
    if len(question.title) > TITLE_MAX:
        found.append(f"the title is {len(question.title)} characters long; at most {TITLE_MAX} fit")
    found.extend(_KIND_PROBLEMS[question.kind](question.choices))
    if any(not math.isfinite(c.weight) or not -100 <= c.weight <= 100 for c in question.choices):
        found.append("a weight is outside -100% to 100%")
    return found


def _single_problems(choices: Sequence[ChoiceData]) -> list[str]:
    found = []
    if len(choices) < 2:
        found.append("a multiple-choice question needs at least two choices")
    if not any(c.weight >= 100 for c in choices):
        found.append("no choice is marked right (=)")
    elif all(c.weight >= 100 for c in choices):
        found.append("every choice is marked right: add a wrong one (~)")
    return found


def _multiple_problems(choices: Sequence[ChoiceData]) -> list[str]:
    found = []
    if len(choices) < 2:
        found.append("a multiple-answer question needs at least two choices")
    if not any(c.weight > 0 for c in choices):
        found.append("no choice earns a positive share")
    elif sum(c.weight for c in choices if c.weight > 0) < 99.9:
        found.append("the right choices' shares add up to less than 100%")
    return found


def _true_false_problems(choices: Sequence[ChoiceData]) -> list[str]:
    if sorted(str(c.truth) for c in choices) != ["False", "True"]:
        return ["a true/false question has exactly one true and one false choice"]
    if sum(1 for c in choices if c.weight >= 100) != 1:
        return ["a true/false question has exactly one right value"]
    return []


def _short_problems(choices: Sequence[ChoiceData]) -> list[str]:
    if not any(c.text.strip() and c.weight > 0 for c in choices):
        return ["a short-answer question needs at least one accepted answer"]
    return []


def _numeric_problems(choices: Sequence[ChoiceData]) -> list[str]:
    if not choices or any(c.number is None or not math.isfinite(c.number) for c in choices):
        return ["a numeric question needs a number for each answer"]
    if any(c.tolerance < 0 or not math.isfinite(c.tolerance) for c in choices):
        return ["a tolerance cannot be negative"]
    if not any(c.weight > 0 for c in choices):
        return ["no numeric answer earns a positive share"]
    return []


def _matching_problems(choices: Sequence[ChoiceData]) -> list[str]:
    found = []
    if len(choices) < 2:
        found.append("a matching question needs at least two pairs")
    if any(not c.text.strip() or not c.match.strip() for c in choices):
        found.append("each pair needs both sides")
    elif len({c.text for c in choices}) != len(choices):
        found.append("the left-hand sides of the pairs must differ")
    return found


_KIND_PROBLEMS: dict[str, Callable[[Sequence[ChoiceData]], list[str]]] = {
    SINGLE: _single_problems,
    MULTIPLE: _multiple_problems,
    TRUE_FALSE: _true_false_problems,
    SHORT: _short_problems,
    NUMERIC: _numeric_problems,
    MATCHING: _matching_problems,
}


def normalise_text(text: str, *, case_sensitive: bool) -> str:
    """Spacing never matters (runs of spaces are one, ends are trimmed); case only when
    the question says so."""
    collapsed = " ".join(text.split())
    return collapsed if case_sensitive else collapsed.casefold()


_NUMBER = re.compile(r"[-+]?(\d+([.,]\d*)?|[.,]\d+)([eE][-+]?\d+)?")


def parse_number(text: str) -> float | None:
    """A number as people type it: `3.14`, `3,14`, ` -2 `; None if it is not one."""
    cleaned = text.strip().replace("\N{MINUS SIGN}", "-")
    if not _NUMBER.fullmatch(cleaned):
        return None
    value = float(cleaned.replace(",", "."))
    return value if math.isfinite(value) else None


def matching_targets(question: QuestionData) -> list[str]:
    """The right-hand sides offered for a matching question: distinct and sorted, so
    their order never tells which left side they belong to."""
    return sorted({c.match for c in question.choices}, key=str.casefold)


def display_order(count: int, *, seed: bytes) -> list[int]:
    """Positions 1..count in the order a learner is shown them, shuffled by `seed` (the same
    seed gives the same order). Question banks tend to list the right answer first; with
    the order and the form's values (display numbers, not positions) drawn from a seed the
    learner cannot know, neither says which choice is right."""
    order = list(range(1, count + 1))
    random.Random(seed).shuffle(order)  # noqa: S311 - an order to show; the seed is the secret
    return order


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def score_response(question: QuestionData, response: Mapping[str, object]) -> Scored:
    """Score a response shaped as the answer form gives it:

    - single / true-false: ``{"choice": position}``;
    - multiple: ``{"choices": [position, ...]}``;
    - short / numeric: ``{"text": "..."}``;
    - matching: ``{"pairs": {left position: chosen right-hand text}}``.

    Positions count from 1. Anything malformed scores 0.
    """
    scorer = _SCORERS.get(question.kind)
    if scorer is None:
        return _NOTHING
    return scorer(question, response)


_NOTHING = Scored(0.0, False, ())


def _scored_choice(choice: ChoiceData | None) -> Scored:
    """The score of one chosen or matched choice: its share, right when it is the whole
    score, and its feedback."""
    if choice is None:
        return _NOTHING
    score = _clamp(choice.weight / 100)
    return Scored(score, score >= 1, _nonblank([choice.feedback]))


def _score_one_choice(question: QuestionData, response: Mapping[str, object]) -> Scored:
    index = _position(response.get("choice"), len(question.choices))
    return _scored_choice(None if index is None else question.choices[index])


def _score_multiple(question: QuestionData, response: Mapping[str, object]) -> Scored:
    choices = question.choices
    raw = response.get("choices")
    picked = sorted({i for i in (_position(p, len(choices)) for p in _list(raw)) if i is not None})
    score = _clamp(sum(choices[i].weight for i in picked) / 100)
    earning = {i for i, c in enumerate(choices) if c.weight > 0}
    return Scored(
        score,
        set(picked) == earning and score >= 0.999,
        _nonblank(choices[i].feedback for i in picked),
    )


def _score_short(question: QuestionData, response: Mapping[str, object]) -> Scored:
    given = normalise_text(str(response.get("text", "")), case_sensitive=question.case_sensitive)
    if not given:
        return _NOTHING
    accepted = [
        choice
        for choice in question.choices
        if given == normalise_text(choice.text, case_sensitive=question.case_sensitive)
    ]
    return _scored_choice(_best(accepted))


def _score_numeric(question: QuestionData, response: Mapping[str, object]) -> Scored:
    number = parse_number(str(response.get("text", "")))
    if number is None:
        return _NOTHING
    within = [
        choice
        for choice in question.choices
        if choice.number is not None
        and abs(number - choice.number)
        <= choice.tolerance + _EPSILON * max(1.0, abs(choice.number))
    ]
    return _scored_choice(_best(within))


def _score_matching(question: QuestionData, response: Mapping[str, object]) -> Scored:
    choices = question.choices
    pairs = response.get("pairs")
    if not isinstance(pairs, Mapping) or not choices:
        return _NOTHING
    matched = sum(
        1
        for position, choice in enumerate(choices, start=1)
        if pairs.get(str(position)) == choice.match
    )
    return Scored(matched / len(choices), matched == len(choices), ())


def _best(candidates: Iterable[ChoiceData]) -> ChoiceData | None:
    """The candidate with the highest weight; the first of equals."""
    best: ChoiceData | None = None
    for choice in candidates:
        if best is None or choice.weight > best.weight:
            best = choice
    return best


_SCORERS: dict[str, Callable[[QuestionData, Mapping[str, object]], Scored]] = {
    SINGLE: _score_one_choice,
    TRUE_FALSE: _score_one_choice,
    MULTIPLE: _score_multiple,
    SHORT: _score_short,
    NUMERIC: _score_numeric,
    MATCHING: _score_matching,
}


def with_translated_answers(question: QuestionData, texts: Mapping[int, str]) -> QuestionData:
    """A short-answer question that also accepts each accepted answer as translated for
    the learner (`texts`: choice position → translation), with the same share of the score
    and feedback; other types are scored by position or number, so they stay as they are."""
    if question.kind != SHORT:
        return question
    extra = tuple(
        replace(choice, text=texts[position])
        for position, choice in enumerate(question.choices, start=1)
        if texts.get(position, choice.text) != choice.text
    )
    return replace(question, choices=question.choices + extra)


def _position(value: object, count: int) -> int | None:
    """A 1-based position from a form value, as a 0-based index, or None."""
    try:
        position = int(str(value))
    except ValueError:
        return None
    return position - 1 if 1 <= position <= count else None


def _list(value: object) -> Sequence[object]:
    return value if isinstance(value, list | tuple) else []


def _nonblank(texts: Iterable[str]) -> tuple[str, ...]:
    return tuple(text for text in texts if text.strip())
