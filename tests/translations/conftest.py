import pytest

from cohortkit.courses.models import Role
from tests.conftest import Cast
from tests.factories import ModuleFactory, RunRoleFactory, TopicFactory, UserFactory


@pytest.fixture
def translator(cast: Cast) -> object:
    user = UserFactory(display_name="Translator")
    RunRoleFactory(run=cast.run, user=user, role=Role.TRANSLATOR)
    return user


@pytest.fixture
def content(cast: Cast) -> Cast:
    """The cast's run with a module and a topic whose body has a heading, a paragraph with a
    link, and two list items."""
    module = ModuleFactory(run=cast.run, position=1, title="Preparing to partner")
    TopicFactory(
        module=module,
        position=1,
        title="Know yourself",
        body=(
            "## Know yourself\n\n"
            "Read the [guide](https://example.org/guide) first.\n\n"
            "- what your group wants;\n"
            "- who could help.\n"
        ),
    )
    return cast
