"""Demo: a short exercise (two or three questions, in GIFT) at the end of each of the eight
modules of every run, and answers from the in-progress cohort to the released ones, so the
scores, the progress grid and the item analysis have something to show. Their Spanish is
in translations/demo_texts.py (the translations app's demo translates them). Idempotent."""

import random
from datetime import datetime, time, timedelta

from django.db import transaction

from cohortkit.courses.demo import Demo
from cohortkit.courses.models import Run
from cohortkit.exercises.models import Answer, Attempt, Exercise
from cohortkit.exercises.questions import score_response
from cohortkit.exercises.services import import_questions

TITLE = "Check your understanding"

# One GIFT bank per module position: every question type appears somewhere.
BANKS = {
    1: """::Cohort:: What does the cohort share each week? {
=A live session and the week's modules#Yes: self-guided study plus one live session.
~Only the final presentation#The presentation comes at the end; each week has a session.
####Each week combines self-guided modules with a two-hour live session.
}

::Certificate:: The certificate needs the final presentation reviewed by peers. {T#It does: peers review it.#Right.}
""",
    2: """::Definition:: Which of these is a partnership? {
=Two organisations sharing aims, work and risks#Right.
~A one-off donation#A donation is support, not a partnership.
~A newsletter subscription#That is communication, not a partnership.
####In a partnership both sides commit and both gain.
}

::Gain:: Both partners should gain something. {T#Both sides need a reason to stay.#Right: it must work for both.}
""",
    3: """::Strengths:: Which belong in knowing your own group? {
~%50%What it does well#Yes.
~%50%What it lacks#Yes.
~%-100%The partner's budget#That is about the partner, not you.
####Know yourself before you look for partners.
}

::Prospects:: How many prospective partners does the partner map ask for? {#5#Right: five organisations.}
""",
    4: """::Pitch:: How long is the pitch you prepare for a first meeting, in minutes? {#2:0.5#Two minutes is enough to start a conversation.}

::Agreement:: Name the document in which partners write down what each one does. {=agreement =%50%contract#Close: a contract is one kind of agreement.}
""",
    5: """::Stages:: Match each step to its stage. {
=Derive actions -> From the agreement
=Share reality -> Between the partners
=Meet regularly -> To keep in touch
}

::Running:: What keeps a running partnership healthy? {
=Regular, honest updates between partners#Right.
~Avoiding bad news#Bad news shared early is easier to fix.
####Sharing reality keeps both sides able to act.
}
""",
    6: """::Evaluate:: When should a partnership be evaluated? {
~Only at its end#Also along the way.
=Regularly, while it runs#Right.
####Evaluate as you go, so you can refine.
}

::Ending:: Ending a partnership can be a success. {T#It can: ending well keeps the door open.#Right.}
""",
    7: """::Setbacks:: What helps most after a setback? {
=Talking to the partner early#Right.
~Waiting until it passes#Problems grow when they wait.
~Starting over with someone else#Try to repair first.
####Most setbacks are easier to repair when they are named early.
}

::Honesty:: Hiding a problem from a partner protects the partnership. {F#It does not: trust suffers.#Right: it does not.}
""",
    8: """::Review:: How many peers review each final presentation in the demo? {#3#Three peers each.}

::Presentation:: What does the final presentation describe? {
=A partnership you would like to build#Right.
~A summary of each week#The presentation looks ahead.
####Partner, gains for each side, and your first steps.
}

::Feedback:: Peer feedback should name one change that would help. {T#It should: one concrete change.#Right.}
""",
}


def _exercises(run: Run) -> list[Exercise]:
    made = []
    for module in run.modules.order_by("position"):
        bank = BANKS.get(module.position)
        if bank is None:
            continue
        exercise = Exercise.objects.filter(module=module).first()
        if exercise is None:
            exercise, _questions = import_questions(
                module, text=bank, file_format="gift", title=TITLE
            )
        made.append(exercise)
    return made


def _answers(demo: Demo, exercises: list[Exercise]) -> None:
    """Participants of the current run answer the released modules' exercises, mostly
    right, some wrong, a few twice; one person falls behind and answers nothing."""
    run, now = demo.current_run, demo.now
    if Attempt.objects.filter(exercise__run=run).exists():
        return
    chance = random.Random(demo.seed)  # noqa: S311 - demo data, not security
    released = [
        e
        for e in exercises
        if datetime.combine(run.week_starts_on(e.module.release_week), time.min, tzinfo=run.zone)
        <= now
    ]
    behind = demo.participants[4] if len(demo.participants) > 4 else None
    for exercise in released:
        questions = list(exercise.questions.prefetch_related("choices").order_by("position"))
        for index, person in enumerate(demo.participants):
            if person == behind or index % 5 == 3:
                continue
            at = now - timedelta(days=chance.randint(0, 6), hours=chance.randint(1, 20))
            attempt = Attempt.objects.create(
                exercise=exercise, user=person, number=1, started_at=at
            )
            answers = []
            for question in questions:
                data = question.as_data()
                response = _response(data, right=chance.random() < 0.7, chance=chance)
                scored = score_response(data, response)
                answers.append(
                    Answer(attempt=attempt, question=question, response=response,
                           score=scored.score, is_correct=scored.is_correct, answered_at=at)
                )  # fmt: skip
            Answer.objects.bulk_create(answers)
            attempt.finished_at = at
            attempt.score = sum(a.score for a in answers) / len(answers)
            attempt.save(update_fields=["finished_at", "score"])


def _response(data: object, *, right: bool, chance: random.Random) -> dict[str, object]:
    """A learner's response to the demo question: right, or a plausible mistake."""
    kind = data.kind  # type: ignore[attr-defined]
    choices = data.choices  # type: ignore[attr-defined]
    best = max(range(len(choices)), key=lambda i: choices[i].weight)
    if kind in ("single", "true-false"):
        wrong = [i for i in range(len(choices)) if i != best]
        return {"choice": 1 + (best if right or not wrong else chance.choice(wrong))}
    if kind == "multiple":
        good = [i + 1 for i, c in enumerate(choices) if c.weight > 0]
        bad = [i + 1 for i, c in enumerate(choices) if c.weight <= 0]
        return {"choices": good if right else sorted({good[0], chance.choice(bad)})}
    if kind == "short":
        return {"text": choices[best].text if right else choices[-1].text}
    if kind == "numeric":
        number = choices[best].number or 0
        return {"text": str(int(number) if right else int(number) + 1)}
    pairs = {str(i + 1): c.match for i, c in enumerate(choices)}
    if not right:
        pairs["1"], pairs["2"] = pairs["2"], pairs["1"]
    return {"pairs": pairs}


@transaction.atomic
def extend_demo(demo: Demo) -> None:
    runs = [demo.completed_run, demo.current_run, demo.open_run]
    exercises = {run.pk: _exercises(run) for run in runs}
    _answers(demo, exercises[demo.current_run.pk])
    demo.created["exercises"] = sum(len(made) for made in exercises.values())
