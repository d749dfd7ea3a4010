"""Uploads leave storage with their rows; none is served from /media/, even in DEBUG."""

import importlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.signals import post_delete, post_save
from django.test import Client
from django.urls import clear_url_caches

import cohortkit.urls
from cohortkit.courses.models import Run
from cohortkit.learning import stored_files
from cohortkit.learning.models import Attachment, Submission, SubmissionVersion
from cohortkit.learning.services.assignments import save_submission
from tests.factories.learning import PNG, AssignmentFactory, AttachmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def _stored(media: Path) -> set[str]:
    return {str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()}


def test_a_replaced_draft_file_goes_but_a_handed_in_version_keeps_its_own(
    cast: object, media: Path, django_capture_on_commit_callbacks: object
) -> None:
    assignment = AssignmentFactory(run=cast.run, due_at=datetime(2030, 1, 1, tzinfo=UTC))  # type: ignore[attr-defined]
    person = cast.participant  # type: ignore[attr-defined]
    at = datetime(2026, 1, 5, tzinfo=UTC)

    def save(name: str, *, submit: bool) -> Submission:
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
            return save_submission(
                assignment,
                participant=person,
                text="",
                link="",
                upload=SimpleUploadedFile(name, PNG),
                upload_type="image/png",
                submit=submit,
                at=at,
            )

    draft = save("one.png", submit=False).file.name
    handed_in = save("two.png", submit=True).file.name
    assert _stored(media) == {handed_in}  # the draft's file went; nothing pointed at it
    assert draft != handed_in
    latest = save("three.png", submit=True).file.name
    # The first hand-in's version still points at its file, so it stays.
    assert _stored(media) == {handed_in, latest}
    assert set(SubmissionVersion.objects.values_list("file", flat=True)) == {handed_in, latest}


def test_deleting_rows_deletes_their_files_also_by_cascade(
    cast: object, media: Path, django_capture_on_commit_callbacks: object
) -> None:
    run = cast.run  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        attachments = [AttachmentFactory(run=run) for _ in range(2)]
        kept = AttachmentFactory(run=cast.other_run)  # type: ignore[attr-defined]
    assert len(_stored(media)) == 3
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        attachments[0].delete()
    assert len(_stored(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        Run.objects.filter(pk=run.pk).delete()
    assert (_stored(media), Attachment.objects.count()) == ({kept.file.name}, 1)


def test_every_model_with_a_file_field_is_watched() -> None:
    watched = {
        model._meta.label
        for model in stored_files.models_with_files()
        if post_save.has_listeners(model) and post_delete.has_listeners(model)
    }
    assert watched == {
        "learning.Attachment",
        "learning.Submission",
        "learning.SubmissionVersion",
        "reviews.FinalWork",
    }


@pytest.fixture
def urls_built_in_debug(settings: object) -> Iterator[None]:
    settings.DEBUG = True  # type: ignore[attr-defined]
    importlib.reload(cohortkit.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False  # type: ignore[attr-defined]
    importlib.reload(cohortkit.urls)
    clear_url_caches()


def test_uploads_are_not_served_from_media_even_in_debug(
    cast: object, media: Path, urls_built_in_debug: None
) -> None:
    item = AttachmentFactory(run=cast.run)  # type: ignore[attr-defined]
    assert (media / item.file.name).exists()
    anonymous = Client().get(f"/media/{item.file.name}")
    outsider = Client()
    outsider.force_login(cast.other_participant)  # type: ignore[attr-defined]
    assert (anonymous.status_code, outsider.get(f"/media/{item.file.name}").status_code) == (
        404,
        404,
    )


def test_no_template_links_to_an_upload_other_than_through_a_view() -> None:
    root = Path(stored_files.__file__).resolve().parent.parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if re.search(r"MEDIA_URL|\.file\.url|file_url|/media/", path.read_text())
    ]
    assert offenders == []
