"""The applications app's part in copying a run (see courses/services.py): the form's
texts and settings, its questions, the eligibility rules and quotas (their answer columns
follow the copied questions), and the review rubric. Applications, reviews, decisions and
offers stay with their run."""

from collections.abc import Mapping

from cohortkit.applications.models import (
    ApplicationForm,
    Criterion,
    EligibilityRule,
    Question,
    Quota,
)
from cohortkit.courses.models import Run


def copy_run(source: Run, target: Run) -> Mapping[str, str]:
    prefixes = {f"applications.{source.slug}.": f"applications.{target.slug}."}
    columns: dict[str, str] = {}
    form = ApplicationForm.objects.filter(run=source).first()
    if form is not None:
        copied_form = ApplicationForm.objects.create(
            run=target,
            introduction=form.introduction,
            privacy_notice=form.privacy_notice,
            keep_answers_days=form.keep_answers_days,
            is_blind_review=form.is_blind_review,
            reviewers_per_application=form.reviewers_per_application,
            offer_days=form.offer_days,
        )
        for question in form.questions.all():
            copied = Question.objects.create(
                form=copied_form,
                position=question.position,
                label=question.label,
                help_text=question.help_text,
                kind=question.kind,
                options=question.options,
                is_required=question.is_required,
            )
            columns[question.key] = copied.key
            prefixes[f"applications.{source.slug}.q.{question.pk}."] = (
                f"applications.{target.slug}.q.{copied.pk}."
            )
    for rule in EligibilityRule.objects.filter(run=source):
        EligibilityRule.objects.create(
            run=target,
            kind=rule.kind,
            column=columns.get(rule.column, rule.column),
            allowed=rule.allowed,
            minimum=rule.minimum,
            reason=rule.reason,
        )
    for quota in Quota.objects.filter(run=source):
        Quota.objects.create(
            run=target,
            kind=quota.kind,
            column=columns.get(quota.column, quota.column),
            value=quota.value,
            count=quota.count,
        )
    for criterion in Criterion.objects.filter(run=source):
        copied_criterion = Criterion.objects.create(
            run=target, position=criterion.position, name=criterion.name, weight=criterion.weight
        )
        prefixes[f"applications.{source.slug}.criterion.{criterion.pk}."] = (
            f"applications.{target.slug}.criterion.{copied_criterion.pk}."
        )
    return prefixes
