from datetime import UTC, datetime

import pytest

from tests.conftest import Cast
from tests.factories import ModuleFactory, TopicFactory
from tests.factories.learning import AssignmentFactory, SubmissionFactory, ThreadFactory

IN_RUN = datetime(2021, 2, 20, 12, tzinfo=UTC)  # week 3 of the factory run


@pytest.fixture
def world(cast: Cast) -> dict[str, object]:
    """Content in both runs: a module, a topic, an assignment, a submission, a thread."""
    made: dict[str, object] = {}
    for prefix, run, person in [
        ("", cast.run, cast.participant),
        ("other_", cast.other_run, cast.other_participant),
    ]:
        module = ModuleFactory(run=run, position=1, release_week=0)
        topic = TopicFactory(module=module, position=1)
        assignment = AssignmentFactory(run=run, module=module)
        submission = SubmissionFactory(assignment=assignment, participant=person)
        thread = ThreadFactory(run=run, author=person)
        made.update({f"{prefix}module": module, f"{prefix}topic": topic, f"{prefix}assignment": assignment,
                     f"{prefix}submission": submission, f"{prefix}thread": thread})  # fmt: skip
    return made
