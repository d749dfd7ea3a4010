"""People withdrawn before a withdrawal ended the role: their participant role ends now,
so their access to the run's pages, Q&A, call links and calendar feed ends with it. The
status row stays, so going back restores the roles."""

from django.db import migrations


def end_roles(apps, schema_editor):  # type: ignore[no-untyped-def]
    ParticipantStatus = apps.get_model("learning", "ParticipantStatus")
    RunRole = apps.get_model("courses", "RunRole")
    for run_id, user_id in ParticipantStatus.objects.filter(state="withdrawn").values_list(
        "run_id", "user_id"
    ):
        RunRole.objects.filter(run_id=run_id, user_id=user_id, role="participant").delete()


def restore_roles(apps, schema_editor):  # type: ignore[no-untyped-def]
    ParticipantStatus = apps.get_model("learning", "ParticipantStatus")
    RunRole = apps.get_model("courses", "RunRole")
    for run_id, user_id in ParticipantStatus.objects.filter(state="withdrawn").values_list(
        "run_id", "user_id"
    ):
        RunRole.objects.get_or_create(run_id=run_id, user_id=user_id, role="participant")


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("learning", "0006_first_versions_of_handed_in_work"),
    ]

    operations = [migrations.RunPython(end_roles, restore_roles)]
