"""A run's completion rules (LearningPolicy)."""

from typing import Any

from django.db import transaction

from cohortkit.courses.models import Run
from cohortkit.learning.models import LearningPolicy

RULE_FIELDS = (
    "requires_all_topics",
    "requires_assignments",
    "min_attendance_percent",
    "requires_final_review",
    "requires_exercises",
    "inactive_days",
    "missed_sessions",
)


def set_completion_rules(run: Run, **rules: Any) -> LearningPolicy:
    """Store what completing the run needs and when a participant counts as at risk.

    Changes: the run's LearningPolicy (created on first use). Completion and certificates
    read it from then on; certificates already issued stay. Sends nothing."""
    unknown = set(rules) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"not completion rules: {sorted(unknown)}")
    with transaction.atomic():
        policy, _created = LearningPolicy.objects.update_or_create(run=run, defaults=rules)
    return policy
