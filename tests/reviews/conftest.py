"""A run with its peer-review step, and the cast's participant both author and reviewer."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from cohortkit.accounts.models import User
from cohortkit.courses.models import Role
from cohortkit.reviews.models import Criterion, FeedbackPrompt, FinalWork, Review, ReviewStep
from tests.conftest import Cast
from tests.factories import RunRoleFactory, UserFactory
from tests.factories.reviews import (
    CriterionFactory,
    FeedbackPromptFactory,
    FinalWorkFactory,
    ReviewFactory,
    ReviewStepFactory,
)


@dataclass
class Peer:
    cast: Cast
    step: ReviewStep
    criteria: list[Criterion]
    prompt: FeedbackPrompt
    others: list[User]
    work: FinalWork  # the cast participant's own work
    review: Review  # the cast participant reviews others[0]'s work
    other_work: FinalWork

    def url(self, name: str, **kwargs: object) -> str:
        run = self.cast.run
        return reverse(
            f"reviews:{name}", kwargs={"slug": run.course.slug, "run": run.slug, **kwargs}
        )


def participants(run: object, count: int, **profile: object) -> list[User]:
    people = []
    for _ in range(count):
        person = UserFactory(**profile)
        RunRoleFactory(run=run, user=person, role=Role.PARTICIPANT)
        people.append(person)
    return people


@pytest.fixture
def peer(cast: Cast) -> Peer:
    step = ReviewStepFactory(run=cast.run)
    criteria = [
        CriterionFactory(step=step, title="Partner fit", weight=3, scale_max=5),
        CriterionFactory(step=step, title="Delivery", weight=1, scale_max=4),
    ]
    prompt = FeedbackPromptFactory(step=step, text="What is strongest?")
    others = participants(cast.run, 3)
    work = FinalWorkFactory(run=cast.run, author=cast.participant)
    other_work = FinalWorkFactory(run=cast.run, author=others[0])
    review = ReviewFactory(work=other_work, reviewer=cast.participant)
    return Peer(cast, step, criteria, prompt, others, work, review, other_work)
