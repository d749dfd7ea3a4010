"""Our GIFT reader and writer against an independent one: gift-pegjs (npm; the PEG grammar
of GIFT by Christopher Fuhrman, MIT), run with Node.js on the same file.

Both read a bank with every question type and the format's details (titles, format markers,
missing words, weights, per-answer and general feedback, numeric tolerances, ranges and
several numeric answers, escapes, line breaks), and must agree on each question's type,
title, text and answers. What we write (the export) must read the same in gift-pegjs, so a
bank exported by cohortkit is a GIFT file other tools read as we meant it.

pygiftparser (PyPI, 2017) was tried first: it needs Markdown 3.0.1, which imports
`pkg_resources`, gone from the setuptools our venv installs; and it reads `{=a =%50%b}`
(every answer `=`, one with a weight) as multiple choice where Moodle reads a short answer.
gift-pegjs reads it as Moodle does and installs with the axe-core the browser tests use
(`npm ci`, done by scripts/system-deps).

Known differences, normalised below on purpose: gift-pegjs keeps the format marker
(`[markdown]`), we drop it (texts are plain); it names a true/false question's two
feedbacks by position (`trueFeedback` is the first); in Moodle's GIFT the first is shown for
a wrong answer and the second for a right one, which is how we store them.
"""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from cohortkit.exercises.gift import parse_gift, write_gift
from cohortkit.exercises.questions import (
    MATCHING,
    MULTIPLE,
    NUMERIC,
    SHORT,
    SINGLE,
    TRUE_FALSE,
    QuestionData,
)

ROOT = Path(__file__).resolve().parents[2]
GIFT_PEGJS = ROOT / "node_modules" / "gift-pegjs"

# Written for these tests after the semantics of Moodle's GIFT documentation; every
# question type and feature we read.
BANK = r"""// A question bank for the cross-check
$CATEGORY: $course$/Partnership building/Module 1

::Seat:: Which town hosts the fictional Partner Council? {
=Lindenfeld#Right, the council meets there.
~Ostmark#No, that is the archive town.
~%50%Nordhafen#Half\: it hosts the summer meeting.
####The council has met in Lindenfeld since its founding.
}

::Risks:: A partnership shares its risks. {T#Look again at module 1.#Yes.}

::Contract:: Partners must always sign a contract. {FALSE}

::Count:: How many partners does a bilateral partnership have? {#2}

::Weeks:: Pick a number of weeks from six to ten. {#6..10}

::Share:: Give the share of seats kept for newcomers, in per cent. {#=25:2.5#About a quarter.}

::Days:: Round the length of the course in days. {#=56:0#Exactly. =%50%56:7#Close enough.}

::Resources:: Which are resources partners share? {
~%50%time#Yes, time.
~%50%knowledge
~%-100%nothing#No.
}

::Document:: Name the document that says what each partner does. {=agreement =%50%contract#Close.}

::Stages:: Match each stage to its step. {
=prepare -> know yourself
=negotiate -> agree
=run -> share the work
}

::Blank:: The council meets in {~Ostmark =Lindenfeld ~Nordhafen} every spring.

::Markup::[markdown]How many weeks does the course run? {#8}

::Signs:: Which sign means \{right\} in GIFT \: equals or tilde? {=equals \= sign ~tilde \~ sign#No\: that marks a wrong one.}

::Lines:: First line\nsecond line of the question. {TRUE####Both lines are one question.}

No title here\: name a colour of the course logo. {=green =blue}
"""

READER = """
const { parse } = require(process.argv[1]);
let source = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { source += chunk; });
process.stdin.on("end", () => { process.stdout.write(JSON.stringify(parse(source))); });
"""


def gift_pegjs(source: str) -> list[dict[str, Any]]:
    node = shutil.which("node")
    needed = "Node.js and gift-pegjs are needed: scripts/system-deps installs them (npm ci)"
    assert node, needed
    assert (GIFT_PEGJS / "pegjs-gift.js").is_file(), needed
    done = subprocess.run(  # noqa: S603 - our own script and a path we built
        [node, "-e", READER, str(GIFT_PEGJS)],
        input=source,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    questions = json.loads(done.stdout)
    return [q for q in questions if q["type"] != "Category"]


def _text(value: dict[str, Any] | None) -> str:
    return (value or {}).get("text", "").strip()


def _number(answer: dict[str, Any]) -> tuple[float, float]:
    if answer["type"] == "high-low":
        low, high = answer["numberLow"], answer["numberHigh"]
        return (low + high) / 2, (high - low) / 2
    return float(answer["number"]), float(answer.get("range") or 0)


def theirs(question: dict[str, Any]) -> tuple[object, ...]:
    """A gift-pegjs question as (type, title, text, general feedback, answers)."""
    kind = question["type"]
    head = (question["title"] or "", _text(question["stem"]), _text(question["globalFeedback"]))
    if kind == "TF":
        feedbacks = (_text(question["trueFeedback"]), _text(question["falseFeedback"]))
        return ("TF", *head, (question["isTrue"], *feedbacks))
    if kind == "Matching":
        pairs = tuple(
            (_text(p["subquestion"]), p["subanswer"].strip()) for p in question["matchPairs"]
        )
        return ("Matching", *head, pairs)
    if kind == "Numerical":
        choices = question["choices"]
        if isinstance(choices, dict):  # {#2}, {#6..10}: one answer, right, no feedback
            choices = [{"isCorrect": True, "weight": None, "text": choices, "feedback": None}]
        answers = tuple(
            (
                *_number(c["text"]),
                c["weight"] if c["weight"] is not None else 100,
                _text(c["feedback"]),
            )
            for c in choices
        )
        return ("Numerical", *head, answers)
    answers = tuple(
        (
            _text(c["text"]),
            float(c["weight"] if c["weight"] is not None else (100 if c["isCorrect"] else 0)),
            _text(c["feedback"]),
        )
        for c in question["choices"]
    )
    return (kind, *head, answers)


OUR_TYPES = {
    SINGLE: "MC",
    MULTIPLE: "MC",
    TRUE_FALSE: "TF",
    SHORT: "Short",
    NUMERIC: "Numerical",
    MATCHING: "Matching",
}


def ours(question: QuestionData) -> tuple[object, ...]:
    """Ours in the same shape. True/false: (the right value, first feedback, second), the
    first being the wrong answer's feedback and the second the right one's."""
    kind = OUR_TYPES[question.kind]
    head = (question.title, question.text, question.explanation)
    choices = question.choices
    if question.kind == TRUE_FALSE:
        right = next(c for c in choices if c.weight >= 100)
        wrong = next(c for c in choices if c is not right)
        return (kind, *head, (right.truth, wrong.feedback, right.feedback))
    if question.kind == MATCHING:
        return (kind, *head, tuple((c.text, c.match) for c in choices))
    if question.kind == NUMERIC:
        return (kind, *head, tuple((c.number, c.tolerance, c.weight, c.feedback) for c in choices))
    return (kind, *head, tuple((c.text, float(c.weight), c.feedback) for c in choices))


def test_our_reader_agrees_with_gift_pegjs_on_every_question_type() -> None:
    mine = parse_gift(BANK)
    assert {q.kind for q in mine} == set(OUR_TYPES)  # the bank covers every type
    assert [ours(q) for q in mine] == [theirs(q) for q in gift_pegjs(BANK)]


def test_what_we_write_reads_the_same_in_gift_pegjs() -> None:
    written = write_gift(parse_gift(BANK), comment="Exported by cohortkit")
    assert [ours(q) for q in parse_gift(BANK)] == [theirs(q) for q in gift_pegjs(written)]


def test_the_comparison_notices_a_difference() -> None:
    # The normalisation must not hide what matters: a changed weight, feedback or right
    # value makes the two readers disagree.
    changed = BANK.replace("~%50%Nordhafen", "~%40%Nordhafen").replace("{FALSE}", "{TRUE}")
    mine = [ours(q) for q in parse_gift(BANK)]
    other = [theirs(q) for q in gift_pegjs(changed)]
    differing = [m[1] for m, o in zip(mine, other, strict=True) if m != o]
    assert differing == ["Seat", "Contract"]


@pytest.mark.parametrize(
    "source",
    [
        "Q {=a ~b\n",  # not closed
        "Q {#abc}\n",  # not a number
    ],
)
def test_both_readers_refuse_the_same_broken_questions(source: str) -> None:
    with pytest.raises(ValueError, match="line 1"):
        parse_gift(source)
    with pytest.raises(subprocess.CalledProcessError):
        gift_pegjs(source)
