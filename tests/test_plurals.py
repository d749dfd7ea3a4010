"""Counts shown to people go through ngettext / {% blocktranslate count %} (issue 11 item
14): one of a thing reads in the singular, two in the plural, and Arabic picks its own
forms (one, two, a few, many) from the catalogue."""

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import translation

from cohortkit.learning.queries import completion
from tests.conftest import Cast
from tests.factories import ModuleFactory, RunRoleFactory, TopicFactory, UserFactory
from tests.factories.learning import AssignmentFactory

pytestmark = pytest.mark.django_db


def _missing(cast: Cast, *, topics: int, assignments: int) -> list[str]:
    module = ModuleFactory(run=cast.run, position=1)
    for position in range(1, topics + 1):
        TopicFactory(module=module, position=position)
    for _number in range(assignments):
        AssignmentFactory(run=cast.run)
    person = UserFactory(display_name="Counted")
    RunRoleFactory(run=cast.run, user=person)
    return next(c.missing for c in completion(cast.run) if c.person == person)


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, ["0 of 1 topic done", "1 required assignment not accepted yet"]),
        (2, ["0 of 2 topics done", "2 required assignments not accepted yet"]),
    ],
)
def test_completion_counts_in_english(cast: Cast, count: int, expected: list[str]) -> None:
    assert _missing(cast, topics=count, assignments=count) == expected


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "مهمة مطلوبة واحدة لم تُقبل بعد"), (2, "مهمتان مطلوبتان لم تُقبلا بعد")],
)
def test_arabic_takes_its_own_forms_for_one_and_two(cast: Cast, count: int, expected: str) -> None:
    with translation.override("ar"):
        missing = _missing(cast, topics=0, assignments=count)
    assert missing == [expected]


@pytest.mark.parametrize(
    ("template", "count", "expected"),
    [
        ("scheduling/attendance_overview.html", 1, "1 absence in a row"),
        ("scheduling/attendance_overview.html", 2, "2 absences in a row"),
        ("applications/selection.html", 1, "1 on the waitlist."),
        ("applications/selection.html", 2, "2 on the waitlist."),
    ],
)
def test_template_counts_use_the_plural_tag(template: str, count: int, expected: str) -> None:
    # The exact blocktranslate of each page, read from the template file, rendered alone.
    source = get_template(template).template.source
    phrase = expected.split(" ", 1)[1].rstrip(".")
    start = source.rindex("{% blocktranslate count", 0, source.index(phrase))
    end = source.index("{% endblocktranslate %}", start) + len("{% endblocktranslate %}")
    snippet = "{% load i18n %}" + source[start:end]
    assert "{% plural %}" in snippet
    variables = {
        "row": {"summary": {"absences_in_a_row": count}},
        "preview": {"waitlist": [0] * count},
    }
    assert Template(snippet).render(Context(variables)).strip() == expected
