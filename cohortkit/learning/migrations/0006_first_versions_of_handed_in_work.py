"""Work handed in before versions were kept becomes its version 1."""

from django.db import migrations


def first_versions(apps, schema_editor):  # type: ignore[no-untyped-def]
    Submission = apps.get_model("learning", "Submission")
    SubmissionVersion = apps.get_model("learning", "SubmissionVersion")
    SubmissionVersion.objects.bulk_create(
        [
            SubmissionVersion(
                submission=submission,
                number=1,
                text=submission.text,
                link=submission.link,
                file=submission.file.name,
                file_name=submission.file_name,
                file_type=submission.file_type,
                submitted_at=submission.submitted_at,
                is_late=submission.is_late,
            )
            for submission in Submission.objects.exclude(status="draft").filter(
                versions__isnull=True
            )
        ]
    )


def forget_versions(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("learning", "SubmissionVersion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("learning", "0005_submission_versions")]

    operations = [migrations.RunPython(first_versions, forget_versions)]
