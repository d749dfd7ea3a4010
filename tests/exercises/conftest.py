from datetime import UTC, datetime

import pytest

from cohortkit.accounts.models import User
from cohortkit.exercises.models import Question
from cohortkit.exercises.services import import_questions
from cohortkit.exercises.views.learner import choice_order
from tests.conftest import Cast
from tests.factories import ModuleFactory

IN_RUN = datetime(2021, 2, 20, 12, tzinfo=UTC)  # week 3 of the factory run

GIFT = """::Partner:: What is a partnership? {
=A shared commitment#Yes: aims, risks and work are shared.
~A contract only#A contract may record it, but is not the partnership.
~A donation#SECRET-WRONG-FEEDBACK
####Partners share aims and risks.
}

::Contract:: Partners always sign a contract. {F#Not always.#Right: not always.}

::Name:: Name the document that sets out what each partner does. {=agreement =%50%contract#Close: a contract is one kind.}

::Count:: How many partners does a bilateral partnership have? {#2}

::Primes:: Which are partners' shared resources? {~%50%time ~%50%knowledge ~%-100%nothing#No.}

::Pairs:: Match the stage to its step. {=prepare -> know yourself =negotiate -> agree =run -> share reality}
"""


@pytest.fixture
def world(cast: Cast) -> dict[str, object]:
    """An exercise of six questions in a released module of each run."""
    made: dict[str, object] = {}
    for prefix, run in [("", cast.run), ("other_", cast.other_run)]:
        module = ModuleFactory(run=run, position=1, release_week=0)
        exercise, questions = import_questions(module, text=GIFT, file_format="gift")
        made.update({f"{prefix}module": module, f"{prefix}exercise": exercise,
                     f"{prefix}questions": questions})  # fmt: skip
    return made


def value_for(question: Question, user: User, position: int) -> str:
    """The form value under which `user` is offered the choice at `position` (choices are
    shuffled per person, so the value is not the position)."""
    return str(choice_order(question, user).index(position) + 1)
