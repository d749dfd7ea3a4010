"""The applications app's translation units: the application form an applicant reads and
the review rubric reviewers score on.

Found by the translations app's registry (`cohortkit/translations/registry.py`); this
module is the only place the applications app names it. Keys, per run with a form
or a rubric:

- `applications.<run-slug>.introduction.<n>` and `applications.<run-slug>.privacy.<n>`:
  the n-th paragraph of the introduction and of the privacy notice (split like topic
  bodies);
- `applications.<run-slug>.q.<pk>.label` and `.help`: a question and its help text;
- `applications.<run-slug>.q.<pk>.option.<n>`: the label of its n-th choice (the stored
  answer stays the source option, so quotas and eligibility rules are unaffected);
- `applications.<run-slug>.criterion.<pk>.name`: a line of the run's review rubric, which
  reviewers read (the scores stay keyed by the criterion's primary key).

Questions and criteria are keyed by primary key (as answers and scores are: `q<pk>`), so
reordering the form or the rubric keeps every key. Yes/no labels are interface strings,
translated by the gettext catalogues.
"""

from collections.abc import Iterator

from django.db.models import Prefetch

from cohortkit.applications.models import ApplicationForm, Criterion, Question, QuestionKind
from cohortkit.courses.models import Course, Run
from cohortkit.translations.registry import UnitSpec, markdown_specs

SAVED_WITH = {
    ApplicationForm: "run__course",
    Question: "form__run__course",
    Criterion: "run__course",
}


def form_key(run: Run, field: str) -> str:
    """The key prefix of the run's form's `introduction` or `privacy` notice."""
    return f"applications.{run.slug}.{field}"


def question_key(run: Run, question: Question, field: str) -> str:
    """The key of a question's `label`, `help` or `option.<n>` on the run's form."""
    return f"applications.{run.slug}.q.{question.pk}.{field}"


def criterion_key(run: Run, criterion: Criterion) -> str:
    """The key of the name of a criterion of the run's review rubric."""
    return f"applications.{run.slug}.criterion.{criterion.pk}.name"


def units(course: Course) -> Iterator[UnitSpec]:
    forms = (
        ApplicationForm.objects.filter(run__course=course)
        .select_related("run")
        .order_by("run__starts_on", "run__pk")
        .prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("position", "pk"))
        )
    )
    for form in forms:
        where = f"Run {form.run.slug} > application form"
        yield from markdown_specs(
            form_key(form.run, "introduction"), form.introduction, f"{where}: introduction"
        )
        yield from markdown_specs(
            form_key(form.run, "privacy"), form.privacy_notice, f"{where}: privacy notice"
        )
        for question in form.questions.all():
            qwhere = f"{where} > question {question.position}"
            yield UnitSpec(
                question_key(form.run, question, "label"), question.label, "text", qwhere
            )
            yield UnitSpec(
                question_key(form.run, question, "help"),
                question.help_text,
                "text",
                f"{qwhere}: help text",
            )
            if question.kind not in (QuestionKind.CHOICE, QuestionKind.MULTIPLE):
                continue
            for number, option in enumerate(question.option_list(), start=1):
                yield UnitSpec(
                    question_key(form.run, question, f"option.{number}"),
                    option,
                    "text",
                    f"{qwhere}: choice {number}",
                )
    criteria = (
        Criterion.objects.filter(run__course=course)
        .select_related("run")
        .order_by("run__starts_on", "run__pk", "position", "pk")
    )
    for criterion in criteria:
        yield UnitSpec(
            criterion_key(criterion.run, criterion),
            criterion.name,
            "text",
            f"Run {criterion.run.slug} > review rubric > criterion {criterion.position}",
        )
