"""Why an allocation is impossible and what the least relaxation gives up, in words.

The allocator names rules by code (``too-few-people``, ``not-same:<column>``) and explains
in English for the command line; the web says the same through gettext.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cohortkit.reviews.allocation import RULE_TOO_FEW, AllocationInfeasible, Relaxation
from cohortkit.reviews.cohorts import RunCohort
from cohortkit.reviews.models import NotSame


@dataclass(frozen=True)
class Diagnosis:
    rule: str
    summary: str
    shortfall: int
    detail: str


def attribute_label(column: str) -> str:
    if column in NotSame.values:
        return str(NotSame(column).label).lower()
    return column


def describe_blocking(error: AllocationInfeasible, cohort: RunCohort | None) -> Diagnosis:
    short = error.shortfall
    if error.rule == RULE_TOO_FEW:
        summary = ngettext(
            "Too few people: even without the optional rules, %(short)s review cannot be placed.",
            "Too few people: even without the optional rules, %(short)s reviews cannot be placed.",
            short,
        ) % {"short": short}
        if cohort is not None:
            summary += " " + _(
                "%(authors)s works need %(k)s reviewers each, from %(reviewers)s reviewers."
            ) % {
                "authors": cohort.n_authors,
                "k": cohort.rules.reviews,
                "reviewers": cohort.n_reviewers,
            }
    else:
        column = error.rule.removeprefix("not-same:")
        summary = ngettext(
            "The rule “never a reviewer with the author's %(attribute)s” blocks: with it, "
            "%(short)s review cannot be placed.",
            "The rule “never a reviewer with the author's %(attribute)s” blocks: with it, "
            "%(short)s reviews cannot be placed.",
            short,
        ) % {"attribute": attribute_label(column), "short": short}
    return Diagnosis(rule=error.rule, summary=summary, shortfall=short, detail=error.message)


def describe_relaxation(relaxation: Relaxation) -> list[str]:
    """What the least relaxation gives up, one sentence per rule."""
    given_up = [
        _("Allow reviewers with the author's %(attribute)s.")
        % {"attribute": attribute_label(column)}
        for column in relaxation.dropped_not_same
    ]
    if relaxation.reviews_reduced_by:
        given_up.append(
            _("Lower the reviews per work from %(old)s to %(new)s.")
            % {"old": relaxation.original.reviews, "new": relaxation.rules.reviews}
        )
    return given_up
