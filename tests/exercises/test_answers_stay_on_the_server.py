"""Nothing on the page says which answer is right before the learner answers: not the
texts (feedback, explanation, accepted answers, numbers), not the weights, and not the
choices' order or form values (banks tend to list the right answer first)."""

import re
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from cohortkit.courses.models import Role
from cohortkit.exercises.models import Choice
from cohortkit.exercises.services import import_questions
from cohortkit.exercises.views.learner import choice_order
from tests.conftest import Cast
from tests.exercises.conftest import IN_RUN
from tests.factories import ModuleFactory, RunRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

BANK = """::One:: Which town hosts the council? {=Lindenfeld ~Ostmark ~Nordhafen}

::Many:: Which do partners share? {~%50%time ~%50%knowledge ~%-100%nothing}

::TF:: Partners share risks. {T}

::Short:: Name the document. {=agreement =contract}

::Number:: How many weeks? {#8:1}

::Pairs:: Match. {=prepare -> know yourself =negotiate -> agree =run -> share the work}
"""

# Each question with another right answer: what the server knows changes, the page must not.
SWAPS = {
    1: {1: {"weight": 0}, 2: {"weight": 100}},
    2: {1: {"weight": -100}, 3: {"weight": 50}},
    3: {1: {"weight": 0}, 2: {"weight": 100}},
    4: {1: {"text": "covenant"}, 2: {"text": "charter"}},
    5: {1: {"number": 12, "tolerance": 3}},
    6: {1: {"match": "agree"}, 2: {"match": "know yourself"}},
}


@pytest.fixture(autouse=True)
def _in_run() -> Iterator[None]:
    with time_machine.travel(IN_RUN, tick=False):
        yield


def _page(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    # CSRF tokens are masked anew on every response (the form field and htmx's header).
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]*"', "", html)


def test_the_page_is_the_same_whichever_answer_is_right(cast: Cast) -> None:
    module = ModuleFactory(run=cast.run, position=1, release_week=0)
    exercise, questions = import_questions(module, text=BANK, file_format="gift")
    url = reverse(
        "exercises:exercise",
        kwargs={"slug": cast.run.course.slug, "run": cast.run.slug, "pk": exercise.pk},
    )
    client = cast.client_for("participant")
    before = _page(client, url)
    for question in questions:
        for position, changes in SWAPS[question.position].items():
            Choice.objects.filter(question=question, position=position).update(**changes)
    after = _page(client, url)
    assert before.count("<input") >= 14  # the forms are there to answer
    assert before == after
    # And no accepted short answer or number is in it, before or after the swap.
    assert [t for t in ("agreement", "contract", "covenant", "charter") if t in before] == []


def test_the_right_choice_is_offered_under_different_values_to_different_people(
    cast: Cast,
) -> None:
    module = ModuleFactory(run=cast.run, position=1, release_week=0)
    _exercise, questions = import_questions(module, text=BANK, file_format="gift")
    single, many = questions[0], questions[1]
    people = [UserFactory() for _ in range(30)]
    for person in people:
        RunRoleFactory(run=cast.run, user=person, role=Role.PARTICIPANT)
    # The right choice is the first in the bank; people see it in different places.
    places = {choice_order(single, person).index(1) for person in people}
    assert places == {0, 1, 2}
    # The same person sees the same order on every visit (and after answering, the stored
    # position is the one they chose, whatever number the form gave it).
    person = people[0]
    assert choice_order(many, person) == choice_order(many, person)
    client = Client()
    client.force_login(person)
    value = str(choice_order(single, person).index(1) + 1)
    client.post(
        reverse(
            "exercises:answer",
            kwargs={"slug": cast.run.course.slug, "run": cast.run.slug,
                    "pk": single.exercise_id, "question": single.pk},
        ),
        {f"q{single.pk}-choice": value},
    )  # fmt: skip
    answer = single.answers.get()
    assert (answer.response, answer.is_correct) == ({"choice": 1}, True)
