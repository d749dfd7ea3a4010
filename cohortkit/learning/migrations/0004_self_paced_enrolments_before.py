"""Enrolments in runs open for self-study made before statuses were kept: the people who
joined after the run ended study at their own pace from the day they joined."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import migrations


def mark_self_paced(apps, schema_editor):  # type: ignore[no-untyped-def]
    Run = apps.get_model("courses", "Run")
    RunRole = apps.get_model("courses", "RunRole")
    ParticipantStatus = apps.get_model("learning", "ParticipantStatus")
    for run in Run.objects.filter(is_self_paced=True):
        ended_at = datetime.combine(
            run.starts_on + timedelta(days=7 * run.weeks), datetime.min.time(), ZoneInfo(run.timezone)
        )
        having = ParticipantStatus.objects.filter(run=run).values("user_id")
        ParticipantStatus.objects.bulk_create(
            [
                ParticipantStatus(
                    run=run, user_id=user_id, state="self-paced", self_paced_at=created_at
                )
                for user_id, created_at in RunRole.objects.filter(
                    run=run, role="participant", created_at__gte=ended_at
                )
                .exclude(user_id__in=having)
                .values_list("user_id", "created_at")
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("learning", "0003_self_paced_since"),
    ]

    operations = [migrations.RunPython(mark_self_paced, migrations.RunPython.noop)]
