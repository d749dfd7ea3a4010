"""Questions as plain data, their checks, and scoring: no Django here.

The GIFT and Aiken readers produce `QuestionData`, the authoring forms build it, the
import service stores it, and `score_response` scores a learner's response against it, so
one definition of each question type serves all of them. Kinds are the values of
`models.Kind`.
"""

import math
import random
import re
from collections.abc import Iterable, Mapping, Sequence
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
    found = []
    choices = question.choices
    if question.kind not in KINDS:
        return [f"unknown question type “{question.kind}”"]
    if not question.text.strip():
        found.append("the question has no text")
    if len(question.title) > TITLE_MAX:
        found.append(f"the title is {len(question.title)} characters long; at most {TITLE_MAX} fit")
    if question.kind == SINGLE:
        if len(choices) < 2:
            found.append("a multiple-choice question needs at least two choices")
        if not any(c.weight >= 100 for c in choices):
            found.append("no choice is marked right (=)")
        elif all(c.weight >= 100 for c in choices):
            found.append("every choice is marked right: add a wrong one (~)")
    elif question.kind == MULTIPLE:
        if len(choices) < 2:
            found.append("a multiple-answer question needs at least two choices")
        if not any(c.weight > 0 for c in choices):
            found.append("no choice earns a positive share")
        elif sum(c.weight for c in choices if c.weight > 0) < 99.9:
            found.append("the right choices' shares add up to less than 100%")
    elif question.kind == TRUE_FALSE:
        if sorted(str(c.truth) for c in choices) != ["False", "True"]:
            found.append("a true/false question has exactly one true and one false choice")
        elif sum(1 for c in choices if c.weight >= 100) != 1:
            found.append("a true/false question has exactly one right value")
    elif question.kind == SHORT:
        if not any(c.text.strip() and c.weight > 0 for c in choices):
            found.append("a short-answer question needs at least one accepted answer")
    elif question.kind == NUMERIC:
        if not choices or any(c.number is None or not math.isfinite(c.number) for c in choices):
            found.append("a numeric question needs a number for each answer")
        elif any(c.tolerance < 0 or not math.isfinite(c.tolerance) for c in choices):
            found.append("a tolerance cannot be negative")
        elif not any(c.weight > 0 for c in choices):
            found.append("no numeric answer earns a positive share")
    elif question.kind == MATCHING:
        if len(choices) < 2:
            found.append("a matching question needs at least two pairs")
        if any(not c.text.strip() or not c.match.strip() for c in choices):
            found.append("each pair needs both sides")
        elif len({c.text for c in choices}) != len(choices):
            found.append("the left-hand sides of the pairs must differ")
    if any(not math.isfinite(c.weight) or not -100 <= c.weight <= 100 for c in choices):
        found.append("a weight is outside -100% to 100%")
    return found


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
    choices = question.choices
    kind = question.kind
    if kind in (SINGLE, TRUE_FALSE):
        index = _position(response.get("choice"), len(choices))
        if index is None:
            return Scored(0.0, False, ())
        chosen = choices[index]
        score = _clamp(chosen.weight / 100)
        return Scored(score, score >= 1, _nonblank([chosen.feedback]))
    if kind == MULTIPLE:
        raw = response.get("choices")
        picked = sorted(
            {i for i in (_position(p, len(choices)) for p in _list(raw)) if i is not None}
        )
        total = sum(choices[i].weight for i in picked) / 100
        score = _clamp(total)
        earning = {i for i, c in enumerate(choices) if c.weight > 0}
        return Scored(
            score,
            set(picked) == earning and score >= 0.999,
            _nonblank(choices[i].feedback for i in picked),
        )
    if kind == SHORT:
        given = normalise_text(
            str(response.get("text", "")), case_sensitive=question.case_sensitive
        )
        best: ChoiceData | None = None
        for choice in choices:
            accepted = normalise_text(choice.text, case_sensitive=question.case_sensitive)
            if given and given == accepted and (best is None or choice.weight > best.weight):
                best = choice
        if best is None:
            return Scored(0.0, False, ())
        score = _clamp(best.weight / 100)
        return Scored(score, score >= 1, _nonblank([best.feedback]))
    if kind == NUMERIC:
        number = parse_number(str(response.get("text", "")))
        hit: ChoiceData | None = None
        if number is not None:
            for choice in choices:
                if choice.number is None:
                    continue
                if abs(number - choice.number) <= choice.tolerance + _EPSILON * max(
                    1.0, abs(choice.number)
                ) and (hit is None or choice.weight > hit.weight):
                    hit = choice
        if hit is None:
            return Scored(0.0, False, ())
        score = _clamp(hit.weight / 100)
        return Scored(score, score >= 1, _nonblank([hit.feedback]))
    if kind == MATCHING:
        pairs = response.get("pairs")
        if not isinstance(pairs, Mapping) or not choices:
            return Scored(0.0, False, ())
        matched = sum(
            1
            for position, choice in enumerate(choices, start=1)
            if pairs.get(str(position)) == choice.match
        )
        return Scored(matched / len(choices), matched == len(choices), ())
    return Scored(0.0, False, ())


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
