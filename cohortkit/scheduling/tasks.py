from django.tasks import task

from cohortkit.scheduling.models import SessionPlan
from cohortkit.scheduling.services import compute_plan


@task()
def task_compute_plan(plan_id: int) -> str:
    """Compute a big plan in the worker; the plan page polls its progress."""
    plan = SessionPlan.objects.select_related("run").get(pk=plan_id)
    return str(compute_plan(plan).status)
