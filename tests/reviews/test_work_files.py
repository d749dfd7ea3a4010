"""Final work files: a neutral name for anonymous reviewers; replaced files leave storage."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from cohortkit.reviews.models import FinalWork
from cohortkit.reviews.services import save_final_work
from tests.reviews.conftest import Peer

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 slides"


@pytest.fixture
def media(settings: object, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    return tmp_path


def _stored(media: Path) -> set[str]:
    return {str(path.relative_to(media)) for path in media.rglob("*") if path.is_file()}


def test_a_reviewer_downloads_the_work_under_a_neutral_name(peer: Peer, media: Path) -> None:
    work = peer.other_work
    work.file = SimpleUploadedFile("Amaru Quispe - final plan.pdf", PDF)
    work.save()
    client = Client()
    client.force_login(peer.cast.participant)  # reviews peer.other_work

    response = client.get(peer.url("work_file", pk=work.pk))

    assert (response.status_code, response["Content-Disposition"], b"".join(response)) == (
        200,
        f'attachment; filename="work-{work.pk}.pdf"',
        PDF,
    )
    assert "Amaru" not in work.file.name
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_replaced_final_work_file_leaves_storage_after_commit(
    peer: Peer, media: Path, django_capture_on_commit_callbacks: object
) -> None:
    at = datetime(2021, 3, 21, tzinfo=UTC)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        first = save_final_work(
            peer.cast.run,
            peer.cast.participant,
            title="Plan",
            text="t",
            link="",
            file=SimpleUploadedFile("a.pdf", PDF),
            clear_file=False,
            submit=True,
            at=at,
        )
    old = first.file.name
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        second = save_final_work(
            peer.cast.run,
            peer.cast.participant,
            title="Plan",
            text="t",
            link="",
            file=SimpleUploadedFile("b.pdf", PDF),
            clear_file=False,
            submit=True,
            at=at,
        )
    assert _stored(media) == {second.file.name}
    assert old != second.file.name
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        save_final_work(
            peer.cast.run,
            peer.cast.participant,
            title="Plan",
            text="t",
            link="",
            file=None,
            clear_file=True,
            submit=True,
            at=at,
        )
    assert _stored(media) == set()


def test_a_rolled_back_change_keeps_the_old_file(
    peer: Peer, media: Path, django_capture_on_commit_callbacks: object
) -> None:
    work = FinalWork.objects.get(pk=peer.work.pk)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        work.file = SimpleUploadedFile("a.pdf", PDF)
        work.save()
    kept = work.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        work.file = SimpleUploadedFile("b.pdf", PDF)
        work.save()
    # Not committed: nothing ran, so the first file is still there (beside the new one).
    assert (len(callbacks), kept in _stored(media)) == (1, True)
