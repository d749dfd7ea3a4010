"""One last day of a run everywhere; staff see hand-in counts, not "Your work"."""

import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohortkit.courses.models import Role
from cohortkit.learning.models import Certificate
from tests.conftest import Cast
from tests.factories import RunFactory, RunRoleFactory, UserFactory
from tests.factories.learning import AssignmentFactory, SubmissionFactory
from tests.queries import forget_kept_pages


def test_the_2021_run_ends_on_sunday_28_march(db: None) -> None:
    run = RunFactory(starts_on=date(2021, 2, 1), weeks=8)
    assert (run.ends_on, run.ends_on.isoweekday()) == (date(2021, 3, 28), 7)


@pytest.mark.parametrize(
    ("run_zone", "reader_zone"),
    [("America/Mexico_City", "America/Mexico_City"), ("Pacific/Auckland", "Pacific/Auckland"),
     ("Pacific/Auckland", "America/Mexico_City"), ("America/Mexico_City", "Asia/Kolkata")],
)  # fmt: skip
def test_the_verification_page_and_the_pdf_show_the_same_last_day_in_every_zone(
    db: None, tmp_path: object, run_zone: str, reader_zone: str
) -> None:
    run = RunFactory(timezone=run_zone, starts_on=date(2021, 2, 1), weeks=8)
    holder = UserFactory(display_name="Amara Okafor")
    certificate = Certificate.objects.create(
        run=run, user=holder, name="Amara Okafor", issued_at=datetime(2021, 4, 5, tzinfo=UTC)
    )
    reader = Client()
    reader.force_login(UserFactory(timezone=reader_zone))
    page = reader.get(f"/certificates/{certificate.code}/").content.decode()
    pdf = reader.get(f"/certificates/{certificate.code}/pdf/").content
    path = tmp_path / "certificate.pdf"  # type: ignore[operator]
    path.write_bytes(pdf)
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None
    text = " ".join(
        subprocess.run(  # noqa: S603 (a fixed program on a file we wrote)
            [pdftotext, str(path), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    assert (
        '<time datetime="2021-02-01">Feb. 1, 2021</time>' in page,
        '<time datetime="2021-03-28">March 28, 2021</time>' in page,
        "March 29" in page,
        "March 28, 2021" in text,
        "March 29" in text,
    ) == (True, True, False, True, False)


def _list(cast: Cast, role: str) -> tuple[str, int]:
    url = reverse(
        "learning:assignments", kwargs={"slug": cast.run.course.slug, "run": cast.run.slug}
    )
    client = cast.client_for(role)
    client.get(url)
    forget_kept_pages()
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    return body, len(queries)


def test_facilitators_see_hand_in_counts_not_their_own_work(cast: Cast) -> None:
    late = AssignmentFactory(
        run=cast.run, title="Partner map", due_at=datetime(2021, 2, 7, tzinfo=UTC)
    )
    others = [UserFactory() for _ in range(2)]
    for person in others:
        RunRoleFactory(run=cast.run, user=person, role=Role.PARTICIPANT)
    SubmissionFactory(assignment=late, participant=cast.participant, status="submitted")
    SubmissionFactory(assignment=late, participant=others[0], status="accepted")
    SubmissionFactory(assignment=late, participant=others[1], status="draft", submitted_at=None)
    body, _queries = _list(cast, "facilitator")
    assert ("Overdue" in body, "Your work" in body, "2 of 3" in body, "1 to review" in body) == (
        False,
        False,
        True,
        True,
    )
    participant_body, _queries = _list(cast, "participant")
    assert ("Your work" in participant_body, "Submitted" in participant_body) == (True, True)


@pytest.mark.parametrize("count", [1, 12])
def test_the_staff_assignment_list_makes_the_same_queries_for_one_or_many(
    cast: Cast, count: int
) -> None:
    for n in range(count):
        assignment = AssignmentFactory(run=cast.run, title=f"Work {n}")
        SubmissionFactory(assignment=assignment, participant=cast.participant)
    body, queries = _list(cast, "facilitator")
    assert (body.count("1 of 1"), queries) == (count, 11)
