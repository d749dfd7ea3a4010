"""How an application's answers read for reviewers and coordinators."""

from django.utils import translation

from cohortkit.applications.models import Question, QuestionKind
from cohortkit.applications.queries import answer_rows
from cohortkit.courses.models import Run


def _source(key: str, text: str) -> str:
    return text


def test_yes_no_answers_read_in_the_interface_language_and_empty_ones_stay_empty() -> None:
    run = Run(slug="2027")
    questions = [
        Question(pk=1, label="Partnered before?", kind=QuestionKind.YES_NO),
        Question(pk=2, label="A link", kind=QuestionKind.URL),
    ]
    answers = {"q1": "yes"}
    assert answer_rows(run, questions, answers, _source) == [
        ("Partnered before?", "Yes"),
        ("A link", ""),
    ]
    with translation.override("es"):
        assert answer_rows(run, questions, {"q1": "no"}, _source)[0] == (
            "Partnered before?",
            "No",
        )
        assert answer_rows(run, questions, answers, _source)[0][1] == "Sí"
