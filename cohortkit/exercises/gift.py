"""Moodle's GIFT format: read a question bank into `QuestionData`, and write one.

What is read (https://docs.moodle.org/en/GIFT_format):

- questions separated by blank lines; `//` comment lines; `$CATEGORY:` lines (ignored);
- an optional title `::Title::` and format marker (`[plain]`, `[markdown]`, `[html]`,
  `[moodle]`, dropped: texts are plain);
- the answer block `{...}`, anywhere in the text (text after it joins the question as a
  missing word: `... _____ ...`);
- multiple choice `{=right ~wrong}`; multiple answers `{~%50%a ~%50%b ~%-100%c}` (no `=`);
  true/false `{T}`, `{TRUE}`, `{F}`, `{FALSE}` with `#feedback if wrong#feedback if right`;
  short answer `{=one =two}`; numeric `{#3.14:0.01}`, `{#1..5}`, `{#=3:0 =%50%3:1}`;
  matching `{=left -> right ...}`;
- per-answer feedback `#...`, weights `%n%`, general feedback `####...` at the block's end;
- escapes `\\~ \\= \\# \\{ \\} \\:` and `\\n` for a line break (plus `\\\\` for a backslash
  and `\\-` for a `-` before `>`, which the writer uses so any text survives a round trip).

A problem raises `GiftError` naming the line; `parse_gift` reads the whole file first, so
a caller that stores nothing on error stores nothing from a file with one.
"""

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

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

# Escaped characters become Unicode noncharacters while parsing (permanently reserved for
# a program's internal use, so no real text contains them), and are put back at the end.
_ESCAPES = {
    "\\": "\ufdd0",
    "~": "\ufdd1",
    "=": "\ufdd2",
    "#": "\ufdd3",
    "{": "\ufdd4",
    "}": "\ufdd5",
    ":": "\ufdd6",
    "n": "\ufdd7",
    "-": "\ufdd8",
}
_RESTORE = {marker: ("\n" if char == "n" else char) for char, marker in _ESCAPES.items()}
_ESCAPE_RE = re.compile(r"\\([\\~=#{}:n\-])")
_INTERNAL = re.compile("[\ufdd0-\ufddf]")
_FORMAT = re.compile(r"^\[(plain|markdown|html|moodle)\]", re.IGNORECASE)
_TITLE = re.compile(r"^::(.*?)::", re.DOTALL)
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d+)?)%")
_TRUE_FALSE = re.compile(r"^(T|TRUE|F|FALSE)\s*(#.*)?$", re.IGNORECASE | re.DOTALL)
_NUMERIC_RANGE = re.compile(r"^\s*(\S+)\s*\.\.\s*(\S+)\s*$")
_NUMERIC_TOLERANCE = re.compile(r"^\s*([^:\s]+)\s*(?::\s*(\S+))?\s*$")


class GiftError(ValueError):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message


@dataclass
class _Chunk:
    text: str  # escapes replaced by markers
    line: int  # the first line of the question

    def line_at(self, offset: int) -> int:
        return self.line + self.text.count("\n", 0, offset)


def _restore(text: str) -> str:
    return "".join(_RESTORE.get(char, char) for char in text).strip()


def _chunks(source: str) -> Iterator[_Chunk]:
    lines: list[str] = []
    start = 0
    for number, raw in enumerate(source.splitlines(), start=1):
        if _INTERNAL.search(raw):
            raise GiftError(number, "the text contains a reserved character (U+FDD0 to U+FDDF)")
        stripped = raw.strip()
        if stripped.startswith("//") or stripped.upper().startswith("$CATEGORY:"):
            continue
        if not stripped:
            if lines:
                yield _Chunk("\n".join(lines), start)
                lines = []
            continue
        if not lines:
            start = number
        lines.append(_ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(1)], raw))
    if lines:
        yield _Chunk("\n".join(lines), start)


def parse_gift(source: str) -> list[QuestionData]:
    """Every question of a GIFT file, or `GiftError` for the first problem (with its line)."""
    return [_question(chunk) for chunk in _chunks(source.lstrip("\ufeff"))]


def _question(chunk: _Chunk) -> QuestionData:
    text = chunk.text
    title = ""
    if match := _TITLE.match(text):
        title = _restore(match.group(1))
        text = text[match.end() :]
    text = _FORMAT.sub("", text.lstrip(), count=1)
    opening = text.find("{")
    if opening < 0:
        raise GiftError(chunk.line, "no answer block {…}: descriptions are not exercises")
    closing = text.find("}", opening)
    if closing < 0:
        raise GiftError(
            chunk.line_at(chunk.text.find("{")), "the answer block is not closed with }"
        )
    if text.find("{", opening + 1, closing) >= 0:
        raise GiftError(chunk.line_at(chunk.text.find("{")), "a { inside an answer block")
    after = text[closing + 1 :]
    if "{" in after or "}" in after:
        raise GiftError(chunk.line, "more than one answer block in a question")
    before = _restore(text[:opening])
    rest = _restore(after)
    question_text = f"{before} _____ {rest}" if rest else before
    block_line = chunk.line_at(chunk.text.find("{"))
    kind, choices, explanation = _block(text[opening + 1 : closing], block_line)
    question = QuestionData(
        kind=kind,
        text=question_text,
        title=title,
        explanation=explanation,
        choices=tuple(choices),
        line=chunk.line,
    )
    found = problems(question)
    if found:
        raise GiftError(chunk.line, "; ".join(found))
    return question


def _block(block: str, line: int) -> tuple[str, list[ChoiceData], str]:
    body, _, general = block.partition("####")
    explanation = _restore(general)
    stripped = body.strip()
    if not stripped:
        raise GiftError(line, "an empty answer block is an essay: it cannot be checked")
    if match := _TRUE_FALSE.match(stripped):
        truth = match.group(1).upper().startswith("T")
        feedback = (match.group(2) or "").split("#")[1:]
        if len(feedback) > 2:
            raise GiftError(line, "a true/false answer takes at most two feedbacks (#wrong#right)")
        wrong, right = [*feedback, "", ""][:2]
        choices = [
            ChoiceData(truth=truth, weight=100, feedback=_restore(right)),
            ChoiceData(truth=not truth, weight=0, feedback=_restore(wrong)),
        ]
        choices.sort(key=lambda c: not c.truth)  # True first
        return TRUE_FALSE, choices, explanation
    if stripped.startswith("#"):
        return NUMERIC, _numeric(stripped[1:], line), explanation
    entries = _entries(stripped, line)
    if all(marker == "=" and "->" in text for marker, text in entries):
        return MATCHING, [_pair(text, line) for _marker, text in entries], explanation
    if any("->" in text for _marker, text in entries if _marker == "="):
        raise GiftError(line, "every pair of a matching question needs =left -> right")
    choices = [_choice(marker, text, line) for marker, text in entries]
    markers = {marker for marker, _text in entries}
    if markers == {"="}:
        return SHORT, choices, explanation
    return (SINGLE if "=" in markers else MULTIPLE), choices, explanation


def _entries(body: str, line: int) -> list[tuple[str, str]]:
    """(marker, text) for each `=…` or `~…` of a block."""
    starts = [i for i, char in enumerate(body) if char in "=~"]
    if not starts or body[: starts[0]].strip():
        raise GiftError(line, "each answer starts with = (right) or ~ (wrong)")
    ends = [*starts[1:], len(body)]
    return [(body[s], body[s + 1 : e]) for s, e in zip(starts, ends, strict=True)]


def _weight(text: str, default: float, line: int) -> tuple[float, str]:
    match = _WEIGHT.match(text.strip())
    if not match:
        return default, text
    weight = float(match.group(1))
    if not -100 <= weight <= 100:
        raise GiftError(line, f"the weight {match.group(1)}% is outside -100% to 100%")
    return weight, text.strip()[match.end() :]


def _choice(marker: str, text: str, line: int) -> ChoiceData:
    weight, text = _weight(text, 100.0 if marker == "=" else 0.0, line)
    answer, _, feedback = text.partition("#")
    if not _restore(answer):
        raise GiftError(line, "an answer is empty")
    return ChoiceData(text=_restore(answer), weight=weight, feedback=_restore(feedback))


def _pair(text: str, line: int) -> ChoiceData:
    left, _, right = text.partition("->")
    if "#" in right:
        raise GiftError(line, "matching pairs take no feedback")
    if not _restore(left) or not _restore(right):
        raise GiftError(line, "a matching pair needs both sides: =left -> right")
    return ChoiceData(text=_restore(left), match=_restore(right), weight=100)


def _number(text: str, line: int) -> float:
    value = text.strip().replace(_ESCAPES["-"], "-")
    try:
        number = float(value)
    except ValueError:
        raise GiftError(line, f"“{_restore(text)}” is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise GiftError(line, f"“{_restore(text)}” is not a finite number")
    return number


def _numeric_answer(text: str, line: int) -> tuple[float, float]:
    if match := _NUMERIC_RANGE.match(text):
        low, high = _number(match.group(1), line), _number(match.group(2), line)
        if high < low:
            raise GiftError(line, "a range goes from the smaller number to the larger")
        return (low + high) / 2, (high - low) / 2
    if match := _NUMERIC_TOLERANCE.match(text):
        number = _number(match.group(1), line)
        tolerance = _number(match.group(2), line) if match.group(2) else 0.0
        if tolerance < 0:
            raise GiftError(line, "a tolerance cannot be negative")
        return number, tolerance
    raise GiftError(line, f"“{_restore(text)}” is not a number, number:tolerance or low..high")


def _numeric(body: str, line: int) -> list[ChoiceData]:
    stripped = body.strip()
    if not stripped.startswith(("=", "~")):
        answer, _, feedback = stripped.partition("#")
        number, tolerance = _numeric_answer(answer, line)
        return [
            ChoiceData(number=number, tolerance=tolerance, weight=100, feedback=_restore(feedback))
        ]
    choices = []
    for marker, text in _entries(stripped, line):
        weight, text = _weight(text, 100.0 if marker == "=" else 0.0, line)
        answer, _, feedback = text.partition("#")
        number, tolerance = _numeric_answer(answer, line)
        choices.append(
            ChoiceData(
                number=number, tolerance=tolerance, weight=weight, feedback=_restore(feedback)
            )
        )
    return choices


# Writing -------------------------------------------------------------------------------


def escape(text: str) -> str:
    """A text as GIFT writes it: special characters escaped, line breaks as \\n."""
    escaped = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        escaped = escaped.replace(char, "\\" + char)
    escaped = escaped.replace("->", "\\->")
    return escaped.replace("\r\n", "\n").replace("\n", "\\n")


def format_number(value: float) -> str:
    """The shortest text that reads back as the same float (`3`, `0.1`, `1e-07`)."""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _with_feedback(text: str, feedback: str) -> str:
    return f"{text}#{escape(feedback)}" if feedback else text


def _weighted(marker: str, choice: ChoiceData, default: float) -> str:
    weight = "" if choice.weight == default else f"%{format_number(choice.weight)}%"
    return f"{marker}{weight}"


def write_question(question: QuestionData) -> str:
    write_answers = _ANSWER_WRITERS.get(question.kind, _choice_answers)
    after_brace, answer_lines = write_answers(question)
    lines = [f"{_opening(question)} {{{after_brace}", *answer_lines]
    if question.explanation:
        lines.append(f"\t####{escape(question.explanation)}")
    lines.append("}")
    return "\n".join(lines)


def _opening(question: QuestionData) -> str:
    """The title and text before the answers' brace, written so that neither reads back
    as a comment or a text format."""
    head = f"::{escape(question.title)}::" if question.title else ""
    text = escape(question.text)
    if not head and text.startswith("//"):
        head = "::::"
    if _FORMAT.match(text):
        text = "[plain]" + text
    return f"{head}{text}"


# Each answer writer gives what follows the opening brace on its line, and the lines after.
_Answers = tuple[str, list[str]]


def _true_false_answer(question: QuestionData) -> _Answers:
    right = next(c for c in question.choices if c.weight >= 100)
    wrong = next(c for c in question.choices if c is not right)
    value = "TRUE" if right.truth else "FALSE"
    feedback = ""
    if right.feedback or wrong.feedback:
        feedback = f"#{escape(wrong.feedback)}"
        if right.feedback:
            feedback += f"#{escape(right.feedback)}"
    return value + feedback, []


def _numeric_answers(question: QuestionData) -> _Answers:
    lines = []
    for choice in question.choices:
        assert choice.number is not None  # noqa: S101 - problems() refuses numeric without
        answer = format_number(choice.number)
        if choice.tolerance:
            answer += f":{format_number(choice.tolerance)}"
        lines.append(f"\t{_weighted('=', choice, 100)}{_with_feedback(answer, choice.feedback)}")
    return "#", lines


def _matching_answers(question: QuestionData) -> _Answers:
    return "", [f"\t={escape(c.text)} -> {escape(c.match)}" for c in question.choices]


def _choice_answers(question: QuestionData) -> _Answers:
    """Single, multiple and short answers: one line per choice with its marker."""
    return "", [
        f"\t{_choice_marker(question.kind, choice)}"
        f"{_with_feedback(escape(choice.text), choice.feedback)}"
        for choice in question.choices
    ]


def _choice_marker(kind: str, choice: ChoiceData) -> str:
    if kind == SINGLE:
        return _weighted("=", choice, 100) if choice.weight >= 100 else _weighted("~", choice, 0)
    if kind == SHORT:
        return _weighted("=", choice, 100)
    # multiple answers: every choice with its weight, no =
    return f"~%{format_number(choice.weight)}%"


_ANSWER_WRITERS: dict[str, Callable[[QuestionData], _Answers]] = {
    TRUE_FALSE: _true_false_answer,
    NUMERIC: _numeric_answers,
    MATCHING: _matching_answers,
}


def write_gift(questions: Iterable[QuestionData], *, comment: str = "") -> str:
    """A GIFT file: an optional `//` comment, then the questions separated by blank lines."""
    parts = [f"// {line}" for line in comment.splitlines()]
    text = "\n".join(parts) + ("\n\n" if parts else "")
    return text + "\n\n".join(write_question(q) for q in questions) + "\n"
