"""The Aiken format: single-answer multiple choice, one question per block.

    What is the capital of France?
    A. Berlin
    B) Paris
    ANSWER: B

The question may span lines; options are a capital letter, `.` or `)`, and a space; the
`ANSWER:` line names the right letter. A problem raises `AikenError` naming the line.
"""

import re
from collections.abc import Iterable

from cohortkit.exercises.questions import SINGLE, ChoiceData, QuestionData

_OPTION = re.compile(r"^([A-Z])[.)]\s+(.*\S)\s*$")
_ANSWER = re.compile(r"^ANSWER:\s*(.*?)\s*$", re.IGNORECASE)


class AikenError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


def parse_aiken(source: str) -> list[QuestionData]:
    questions: list[QuestionData] = []
    text: list[str] = []
    options: list[tuple[str, str]] = []
    start = 0
    for number, raw in enumerate(source.lstrip("\ufeff").splitlines(), start=1):
        line = raw.strip()
        if not line:
            if options:
                raise AikenError(number, "the options end without an ANSWER: line")
            if text:
                text.append("")
            continue
        if match := _ANSWER.match(line):
            questions.append(_answered(text, options, match.group(1), line=number, start=start))
            text, options = [], []
            continue
        if (match := _OPTION.match(line)) and text:
            letter = match.group(1)
            expected = chr(ord("A") + len(options))
            if letter != expected:
                raise AikenError(number, f"option {letter} where {expected} was expected")
            options.append((letter, match.group(2)))
            continue
        if options:
            raise AikenError(number, "an option starts with a capital letter and . or ) (A. …)")
        if not text:
            start = number
        text.append(line)
    if text or options:
        raise AikenError(start, "the last question has no ANSWER: line")
    return questions


def _answered(
    text: list[str], options: list[tuple[str, str]], answer: str, *, line: int, start: int
) -> QuestionData:
    """The question that the ANSWER: line on `line` closes, with `answer` its right letter."""
    if not text:
        raise AikenError(line, "ANSWER: without a question")
    if len(options) < 2:
        raise AikenError(line, "a question needs at least two options (A. …, B. …)")
    letter = answer.upper()
    letters = [key for key, _ in options]
    if letter not in letters:
        raise AikenError(line, f"the answer “{answer}” is not one of {', '.join(letters)}")
    return QuestionData(
        kind=SINGLE,
        text="\n".join(text).strip(),
        choices=tuple(
            ChoiceData(text=value, weight=100 if key == letter else 0) for key, value in options
        ),
        line=start,
    )


def write_aiken(questions: Iterable[QuestionData]) -> str:
    """Single-answer questions in Aiken (it has no other kind, feedback or titles)."""
    blocks = []
    for question in questions:
        if question.kind != SINGLE or len(question.choices) > 26:
            raise ValueError("Aiken holds only multiple-choice questions with one answer")
        right = next(i for i, c in enumerate(question.choices) if c.weight >= 100)
        lines = [" ".join(question.text.split())]
        lines += [
            f"{chr(65 + i)}. {' '.join(c.text.split())}" for i, c in enumerate(question.choices)
        ]
        lines.append(f"ANSWER: {chr(65 + right)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
